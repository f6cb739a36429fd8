# Changes the type id of one event of a JFR 2.x recording (single chunk, compressed integers) to 16000, which no
# metadata declares: the damage JDK 16's emergency dumps had (an event whose type is missing from the metadata).
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
assert data[:4] == b"FLR\0"
size = struct.unpack(">q", data[8:16])[0]
compressed = struct.unpack(">i", data[64:68])[0] & 1
assert compressed
def varint(p):
    v, s = 0, 0
    while True:
        b = data[p]; p += 1
        v |= (b & 0x7f) << s; s += 7
        if b < 0x80 or s == 56: return v, p
pos, seen, want = 68, {}, int(sys.argv[3])
while pos < size:
    start = pos
    length, p = varint(pos)
    typ, q = varint(p)
    seen[typ] = seen.get(typ, 0) + 1
    if typ == want and seen[typ] == 10 and q - p == 2:
        data[p:q] = bytes([16000 & 0x7f | 0x80, 16000 >> 7])
        print("event at", start, "type", typ, "->", 16000)
    pos = start + length
print(sorted(seen.items(), key=lambda kv: -kv[1])[:5])
open(sys.argv[2], "wb").write(data)
