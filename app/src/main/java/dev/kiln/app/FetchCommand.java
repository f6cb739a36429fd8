// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app;

import dev.kiln.analysis.ProfileSummary;
import dev.kiln.capture.PprofFetcher;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.model.Units;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Locale;

/**
 * {@code kiln fetch URL [-o OUT]}: fetches a profile from a Go service's {@code /debug/pprof/...} endpoint (or any
 * URL serving a profile) with {@link PprofFetcher}, saves it, and prints its one-line summary. Exit 0 when saved,
 * {@link Main#BAD_INPUT} when the fetch fails or the answer is not a profile (nothing is written then),
 * {@link Main#USAGE} on bad usage.
 */
final class FetchCommand {
    static final String USAGE = """
            usage: kiln fetch URL [-o OUT]
              URL                 e.g. http://127.0.0.1:6060/debug/pprof/profile?seconds=30, .../heap, .../allocs,
                                  .../block, .../mutex, .../goroutine?debug=2 (http:// is assumed when missing)
              -o, --output FILE   where to save (default ENDPOINT-HOST-PORT-DATE-TIME.pb.gz, or .txt for debug=1|2)
              --max-bytes N       refuse bodies larger than N bytes (default 512 MiB)
            """;

    private FetchCommand() { }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String url = null, output = null;
        long maxBytes = PprofFetcher.DEFAULT_MAX_BYTES;
        URI uri;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-o", "--output" -> output = LocksCommand.value(args, ++i, a);
                    case "--max-bytes" -> {
                        try {
                            maxBytes = Long.parseLong(LocksCommand.value(args, ++i, a));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("--max-bytes needs a number");
                        }
                    }
                    default -> {
                        if (a.startsWith("-") || url != null) throw new IllegalArgumentException("unexpected argument " + a);
                        url = a;
                    }
                }
            }
            if (url == null) throw new IllegalArgumentException("expected a URL");
            uri = PprofFetcher.parse(url);
        } catch (IllegalArgumentException e) {
            err.println("kiln fetch: " + e.getMessage());
            err.print(USAGE);
            return Main.USAGE;
        }
        Path file = Path.of(output != null ? output : PprofFetcher.defaultFileName(uri, LocalDateTime.now()));
        try {
            err.printf(Locale.ROOT, "kiln fetch: %s (up to %d s)%n", uri, PprofFetcher.deadline(uri).toSeconds());
            PprofFetcher.Fetched f = new PprofFetcher(java.time.Duration.ofSeconds(10), maxBytes).fetch(uri, file, ProgressSink.NONE);
            out.println(summaryLine(f.file(), f.profile()));
            return Main.OK;
        } catch (ProfileFormatException e) {
            err.println("kiln fetch: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (IOException e) {
            err.println("kiln fetch: " + e.getMessage());
            return Main.BAD_INPUT;
        }
    }

    /** "Wrote FILE: FORMAT, N samples (TYPE, total T), top self FUNCTION" from {@link ProfileSummary}. */
    static String summaryLine(Path file, Profile p) {
        ProfileSummary s = ProfileSummary.of(p, 1);
        StringBuilder b = new StringBuilder("Wrote ").append(file).append(": ").append(s.format());
        if (s.durationSeconds() > 0) b.append(String.format(Locale.ROOT, ", %.1f s", s.durationSeconds()));
        b.append(String.format(Locale.ROOT, ", %d threads", s.threads()));
        if (s.sampleTypes().isEmpty()) {
            b.append(", no samples");
        } else {
            ProfileSummary.SampleTypeSummary t = s.sampleTypes().get(0);
            b.append(String.format(Locale.ROOT, ", %,d samples of %s/%s (total %s)", t.samples(), t.type(), t.unit(),
                    Units.format(t.total(), t.unit())));
            if (!t.topSelf().isEmpty()) {
                b.append(", top self ").append(t.topSelf().get(0).name()).append(' ')
                        .append(Units.percent(t.topSelf().get(0).self(), t.total()));
            }
        }
        if (s.incomplete()) b.append(" (INCOMPLETE)");
        return b.toString();
    }
}
