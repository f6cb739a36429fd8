// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.Profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JFR recording's file and socket I/O per target, for the I/O page: per file path ({@code jdk.FileRead},
 * {@code FileWrite}, {@code FileForce}) and per socket {@code host:port} ({@code jdk.SocketRead}, {@code SocketWrite}),
 * the reads, writes and forces with their bytes, the time spent in them and the longest one with its stack. Only the
 * events the JVM recorded (those over the settings' threshold, 20 ms by default) count. Targets by time spent, most first.
 */
public record IoTargets(List<Target> targets) {
    public enum Kind { FILE, SOCKET }

    /**
     * One path or host:port.
     *
     * @param longestStack the stack of its longest event (-1 when it has none)
     */
    public record Target(Kind kind, String name, int reads, long bytesRead, int writes, long bytesWritten, int forces,
                         long totalNanos, long maxNanos, int longestStack) {
        public int events() { return reads + writes + forces; }
    }

    public static boolean applies(Profile p) {
        EventTable ev = p.events();
        for (int r = 0; r < ev.size(); r++) if (kindOf(ev.kind(r)) != null) return true;
        return false;
    }

    private static Kind kindOf(EventKind k) {
        return switch (k) {
            case FILE_READ, FILE_WRITE, FILE_FORCE -> Kind.FILE;
            case SOCKET_READ, SOCKET_WRITE -> Kind.SOCKET;
            default -> null;
        };
    }

    /** The events that start in the filter's time range on the threads it accepts. */
    public static IoTargets of(Profile p, Filter f) {
        EventTable ev = p.events();
        Map<String, long[]> by = new LinkedHashMap<>(); // kind + name -> reads, bytesRead, writes, bytesWritten, forces, total, max, stack
        for (int r = 0; r < ev.size(); r++) {
            EventKind k = ev.kind(r);
            Kind kind = kindOf(k);
            if (kind == null || !f.acceptsTime(ev.startNanos(r)) || !f.acceptsThread(p, ev.thread(r))) continue;
            String name = ev.detail(r) < 0 ? "" : p.string(ev.detail(r));
            long[] t = by.computeIfAbsent(kind.ordinal() + name, x -> new long[]{0, 0, 0, 0, 0, 0, -1, -1});
            switch (k) {
                case FILE_READ, SOCKET_READ -> { t[0]++; t[1] += ev.amount(r); }
                case FILE_WRITE, SOCKET_WRITE -> { t[2]++; t[3] += ev.amount(r); }
                default -> t[4]++;
            }
            long d = ev.durationNanos(r);
            t[5] += d;
            if (d > t[6]) { t[6] = d; t[7] = ev.stack(r); }
        }
        List<Target> out = new ArrayList<>();
        by.forEach((key, t) -> out.add(new Target(Kind.values()[key.charAt(0) - '0'], key.substring(1), (int) t[0], t[1],
                (int) t[2], t[3], (int) t[4], t[5], Math.max(0, t[6]), (int) t[7])));
        out.sort(Comparator.comparingLong(Target::totalNanos).reversed().thenComparing(Target::name));
        return new IoTargets(List.copyOf(out));
    }
}
