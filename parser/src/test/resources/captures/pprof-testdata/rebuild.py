# Rebuilds google/pprof's testdata java.cpu and cppbench.contention (not readable from the index: binary / missing)
# from pprof's own parse of them (java.cpu.string, cppbench.contention.string), in the formats legacy_*.go read.
import struct, re, sys
def parse_string(path):
    txt = open(path).read()
    samples, locs, maps = [], {}, []
    sec = None
    for line in txt.split("\n"):
        if line.startswith("Samples:"): sec = "s"; continue
        if line.startswith("Locations"): sec = "l"; continue
        if line.startswith("Mappings"): sec = "m"; continue
        if sec == "s":
            m = re.match(r"\s*(\d+)\s+(\d+):((?: \d+)*) ?$", line)
            if m: samples.append((int(m.group(1)), int(m.group(2)), [int(x) for x in m.group(3).split()]))
        elif sec == "l":
            m = re.match(r"\s*(\d+): (0x[0-9a-f]+) (?:M=\d+ ?)?(.*?)\s*(?:s=0)?\s*$", line)
            if m: locs[int(m.group(1))] = (int(m.group(2), 16), m.group(3).strip())
        elif sec == "m":
            m = re.match(r"\d+: (0x[0-9a-f]+)/(0x[0-9a-f]+)/(0x[0-9a-f]+) (\S+)", line)
            if m: maps.append((int(m.group(1), 16), int(m.group(2), 16), m.group(4)))
    return samples, locs, maps

# java.cpu: 64-bit little-endian words; header 0, 3, 1 (Java), period in us, 0; records count, depth, pcs; 0, 1, 0;
# then one text line per pc: " 0x<pc> <function> (<file>:<line>)" or a bare name (GC, VM)
samples, locs, _ = parse_string("java.cpu.string")
addr = {}
for i, (_, name) in locs.items():
    fn = name.split(" ")[0]
    m = re.match(r"com\.example\.function([0-9a-f]+)$", fn)
    addr[i] = int(m.group(1), 16) if m else {"GC": 1, "Compile": 2, "VM": 3}[fn]
w = lambda *v: b"".join(struct.pack("<Q", x) for x in v)
out = w(0, 3, 1, 10000, 0)
for count, cpu, ids in samples:
    assert cpu == count * 10000000
    out += w(count, len(ids), *[addr[i] for i in ids])
out += w(0, 1, 0)
text = ""
for i, (_, name) in sorted(locs.items()):
    fn, _, fl = name.partition(" ")
    fl = fl.strip()
    if fl.startswith(":"): text += " 0x%08x %s\n" % (addr[i], fn)
    else: text += " 0x%08x %s (%s)\n" % (addr[i], fn, fl)
open("java.cpu.rebuilt", "wb").write(out + text.encode())

# cppbench.contention: the C++ contentionz text; delays in cycles at 1 GHz, both values divided by the sampling period
samples, locs, maps = parse_string("cppbench.contention.string")
s = "--- contentionz 1 ---\ncycles/second = 1000000000\nsampling period = 100\nms since reset = 16500000\ndiscarded samples = 0\n"
for cont, delay, ids in samples:
    s += "%12d %6d @ %s\n" % (round(delay / 100), cont // 100, " ".join("0x%x" % (locs[i][0] + 1) for i in ids))
s += "--- Memory map: ---\n"
for start, limit, f in maps:
    s += "  %08x-%08x: %s\n" % (start, limit, f)
open("cppbench.contention.rebuilt", "w").write(s)
