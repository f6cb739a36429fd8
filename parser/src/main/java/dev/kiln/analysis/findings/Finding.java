// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.findings;

/**
 * One thing Kiln noticed in a profile. All strings are plain text (no markup); a report that renders them as HTML
 * must escape them.
 *
 * @param id          stable identifier: the rule, a slash, the subject ({@code lock-contention/com.acme.Cache})
 * @param severity    how urgent it is
 * @param title       a short headline
 * @param explanation one sentence with the numbers behind the finding
 * @param link        the view and filter that show it
 */
public record Finding(String id, Severity severity, String title, String explanation, Link link) {
    /** Rule part of {@link #id()}: the text before the first slash. */
    public String rule() {
        int slash = id.indexOf('/');
        return slash < 0 ? id : id.substring(0, slash);
    }

    /**
     * Where a finding is shown: a view ({@link #LOCKS}, {@link #FLAME}, {@link #THREADS}) and one filter for it.
     *
     * @param view      view name
     * @param filter    what {@code value} is: {@link #LOCK_CLASS} (a class name), {@link #FOCUS} (a regular
     *                  expression for {@code Filter.focus}, matching the function name) or {@link #THREAD} (a
     *                  thread name, exact)
     * @param value     the filter's value
     * @param valueType the value type the view should show ({@code "cpu/samples"}), or null when it does not matter
     */
    public record Link(String view, String filter, String value, String valueType) {
        public static final String LOCKS = "locks", FLAME = "flame", THREADS = "threads";
        public static final String LOCK_CLASS = "lockClass", FOCUS = "focus", THREAD = "thread";
    }
}
