// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.kiln.model.LongList;

import java.io.IOException;

/**
 * The protobuf reading both passes over a pprof profile share ({@link PprofDecoder}, {@link PprofSamples}): fields
 * checked for their wire type, declared lengths read in 64 bits, messages that must end at their declared length,
 * and the words {@link #describe} gives a reader's error.
 */
final class ProtoFields {
    private ProtoFields() { }

    /** A format problem this reader detects while decoding; its message is the reason shown to the user. */
    static final class FormatError extends InvalidProtocolBufferException {
        FormatError(String reason) { super(reason); }
    }

    static String describe(InvalidProtocolBufferException e) {
        if (e instanceof FormatError) return "not a valid pprof profile: " + e.getMessage();
        String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        String what;
        if (m.contains("ended unexpectedly") || m.contains("truncated")) what = "the data ends in the middle of a message (is the file truncated?)";
        else if (m.contains("invalid tag") || m.contains("invalid wire type") || m.contains("end-group tag"))
            what = "unexpected bytes where a field should start";
        else if (m.contains("malformed varint")) what = "a number is malformed";
        else if (m.contains("negative size")) what = "a length is negative";
        else if (m.contains("too large")) what = "a length is larger than the file";
        else what = "the data is not a protobuf message";
        return "not a valid pprof profile: " + what;
    }

    static FormatError truncated() {
        return new FormatError("the data ends in the middle of a message (is the file truncated?)");
    }

    static FormatError wrongType(String what) {
        return new FormatError(what + " has the wrong protobuf wire type");
    }

    static long int64(CodedInputStream in, int wire) throws IOException {
        if (wire != WireFormat.WIRETYPE_VARINT) throw wrongType("an integer field");
        return in.readRawVarint64();
    }

    /** A repeated integer field, packed or not. */
    static void repeatedInt64(CodedInputStream in, int wire, LongList out) throws IOException {
        if (wire == WireFormat.WIRETYPE_VARINT) {
            out.add(in.readRawVarint64());
        } else if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int old = in.pushLimit(length(in));
            while (in.getBytesUntilLimit() > 0) out.add(in.readRawVarint64());
            endMessage(in, old);
        } else {
            throw wrongType("a repeated integer field");
        }
    }

    /**
     * A declared length, read as the 64-bit varint it is ({@code readRawVarint32} keeps the low 32 bits, so 2^32 + 3
     * would read as 3). No message Kiln reads is 2 GiB or longer; a length beyond the data fails when read.
     */
    static int length(CodedInputStream in) throws IOException {
        long n = in.readRawVarint64();
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new FormatError("a declared length of " + Long.toUnsignedString(n) + " bytes is more than any profile holds");
        }
        return (int) n;
    }

    static int beginMessage(CodedInputStream in, int wire, String what) throws IOException {
        if (wire != WireFormat.WIRETYPE_LENGTH_DELIMITED) throw wrongType(what);
        return in.pushLimit(length(in));
    }

    static void endMessage(CodedInputStream in, int oldLimit) throws IOException {
        // CodedInputStream reports the end of the data inside a message as a clean end of that message when it
        // falls between two fields; a message must end exactly at its declared length.
        if (in.getBytesUntilLimit() != 0) throw truncated();
        in.popLimit(oldLimit);
    }

    static void skip(CodedInputStream in, int tag) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            in.skipRawBytes(length(in)); // through length(): CodedInputStream's own skip reads the length in 32 bits
            return;
        }
        if (!in.skipField(tag)) throw new FormatError("unexpected bytes where a field should start");
    }
}
