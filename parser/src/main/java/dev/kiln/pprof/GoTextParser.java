// SPDX-License-Identifier: Apache-2.0
package dev.kiln.pprof;

import dev.kiln.model.IntList;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.SourceFormat;
import dev.kiln.pprof.GoText.LineReader;

/**
 * What the parsers of one Go text profile share: its lines, the profile being built (format {@code GO_TEXT},
 * producer {@value GoTextReader#PRODUCER}), the kind the parser has recognized ({@code "Go"} until it knows
 * better), the number of records kept so far, and whether reading stopped at {@link GoTextReader#MAX_RECORDS} or
 * the profile was marked incomplete. {@link GoTextReader} reads the first line, picks the subclass for the format
 * it starts, has it read the rest and calls {@link #build()}.
 *
 * <p>All formats word their problems alike: a malformed line or a number out of range is a
 * {@link ProfileFormatException} naming the file, the line number, its byte offset and the kind of profile;
 * {@link #build()} stores the count {@code "<kind> records"} = records kept.
 */
abstract class GoTextParser {
    final LineReader in;
    final String fileName;
    final ProfileBuilder b;
    String kindLabel = "Go";
    int kept;
    boolean stopped, incomplete;

    GoTextParser(LineReader in, String fileName) {
        this.in = in;
        this.fileName = fileName;
        this.b = new ProfileBuilder(SourceFormat.GO_TEXT, fileName);
        b.producer(GoTextReader.PRODUCER);
    }

    /** The profile read, with its count of records kept. */
    Profile build() {
        b.count(kindLabel + " records", kept);
        return b.build();
    }

    void incomplete(String warning) {
        incomplete = true;
        b.incomplete(warning);
    }

    int stackOf(IntList framesLeafFirst) {
        return b.stackOfLeafFirst(framesLeafFirst.toArray(), framesLeafFirst.size());
    }

    ProfileFormatException malformed(String what) {
        return new ProfileFormatException(fileName, in.lineOffset(),
                "malformed Go " + kindLabel + " profile: line " + in.lineNumber() + ": " + what);
    }

    long number(String digits) throws ProfileFormatException {
        try {
            return Long.parseLong(digits.trim());
        } catch (NumberFormatException e) {
            throw new ProfileFormatException(fileName, in.lineOffset(), "malformed Go " + kindLabel + " profile: line "
                    + in.lineNumber() + ": number " + GoText.quote(digits) + " is out of range", e);
        }
    }
}
