// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis;

import dev.kiln.model.EventKind;

import java.util.Locale;

/**
 * Names for people of the model's event kinds, for every text, table and page Kiln shows: "Monitor enter" for
 * {@link EventKind#MONITOR_ENTER}, "Go waiting" for {@link EventKind#GO_WAITING} (thread states have theirs in
 * {@code ThreadState.displayName()}). The constants themselves stay the identifiers of JSON output and
 * command-line options.
 */
public final class DisplayNames {
    private DisplayNames() { }

    /** "Monitor enter", "Thread park", "Socket read", "GC pause", "Go running", "Go scheduler delay", ... */
    public static String of(EventKind k) {
        return switch (k) {
            case GC_PAUSE -> "GC pause";
            case CPU_LOAD -> "CPU load";
            case GO_ON_P -> "Go goroutine on P";
            case GO_GC -> "Go GC cycle";
            case GO_SYSCALL -> "Go syscall";
            case GO_SCHED_DELAY -> "Go scheduler delay";
            case GO_NET_DELAY -> "Go network delay";
            case GO_SYSCALL_DELAY -> "Go syscall delay";
            case GO_UTILIZATION -> "Go mutator utilization";
            default -> sentence(k.name());
        };
    }

    /** {@code MONITOR_ENTER} as "Monitor enter". */
    public static String sentence(String constant) {
        String s = constant.replace('_', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
