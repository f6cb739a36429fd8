// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.findings;

import dev.kiln.job.ProgressSink;
import dev.kiln.model.ProfileFormatException;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.flightrecorder.CouldNotLoadRecordingException;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.rules.DependsOn;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IRule;
import org.openjdk.jmc.flightrecorder.rules.ResultProvider;
import org.openjdk.jmc.flightrecorder.rules.ResultToolkit;
import org.openjdk.jmc.flightrecorder.rules.RuleRegistry;
import org.openjdk.jmc.flightrecorder.rules.TypedResult;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JDK Mission Control's automated analysis (the rules of {@code flightrecorder.rules.jdk}, found through
 * {@link RuleRegistry}) run headless on a JFR recording.
 * <p>
 * Kiln's {@code Profile} keeps no JMC item collection (it would double the memory of every open recording), so this
 * class <b>has the file loaded again</b> by the caller's {@link Loader} (the JFR reader's
 * {@code JfrReader.loadItems}, through {@code ProfileLoader.withJfrFile} for gzip: analysis reads no file itself)
 * and evaluates the rules on that collection, which is dropped when {@link #run} returns. It is meant to run as a background job after the
 * profile has opened: loading and each rule run on one daemon thread while the caller polls; the job stops with a
 * {@link CancellationException} when the {@link ProgressSink} is cancelled and returns the results so far
 * ({@link Report#complete()} false) when the time limit passes. A rule that is still running then is abandoned on
 * its daemon thread (JMC's rules do not check for interruption), which does not keep the JVM alive.
 * <p>
 * Rules run one at a time in dependency order ({@link DependsOn}); a rule whose events are missing from the
 * recording, or whose dependency's result is below the severity it requires, gets a "not applicable" result, as in
 * JMC. JMC's texts are HTML fragments with placeholders: they are filled in HTML-encoded and then turned into
 * <b>plain text</b> (tags removed, list items as "- ", links as "text (url)", entities decoded, MessageFormat's
 * doubled apostrophes single), so every string
 * in a {@link Result} is plain text that a report must escape. Files are read as JMC reads them (gzip allowed); a
 * recording JMC cannot load as a whole (e.g. a damaged chunk that Kiln's reader skips) fails with a
 * {@link ProfileFormatException}.
 */
public final class JmcRules {
    /** Time limit for {@link #run(String, Loader, ProgressSink)}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    /**
     * One rule's result.
     *
     * @param severity JMC's severity name: {@code OK}, {@code INFO}, {@code WARNING}, {@code NA} (not applicable),
     *                 {@code IGNORE}, or {@code ERROR} when the rule itself failed
     * @param score    JMC's score 0-100 (higher is worse), or -1 when the rule gave none
     */
    public record Result(String ruleId, String ruleName, String topic, String severity, double score,
                         String summary, String explanation, String solution) {
        /** Whether the result is worth showing: INFO or WARNING. */
        public boolean isReportable() { return severity.equals("WARNING") || severity.equals("INFO"); }

        /** Kiln's severity for a reportable result (WARNING or INFO), else null. */
        public Severity kilnSeverity() {
            return severity.equals("WARNING") ? Severity.WARNING : severity.equals("INFO") ? Severity.INFO : null;
        }
    }

    /**
     * What a run produced.
     *
     * @param results       one per evaluated rule, in evaluation order
     * @param rulesTotal    number of rules JMC offers
     * @param complete      false when the time limit stopped the run before every rule was evaluated
     * @param problem       why the run is incomplete, in words, or null
     * @param loadMillis    time spent loading the recording
     * @param evaluateMillis time spent evaluating rules
     */
    public record Report(List<Result> results, int rulesTotal, boolean complete, String problem, long loadMillis,
                         long evaluateMillis) {
        /** Results worth showing (INFO, WARNING), highest score first. */
        public List<Result> reportable() {
            return results.stream().filter(Result::isReportable)
                    .sorted(Comparator.comparing(Result::kilnSeverity).reversed()
                            .thenComparing(Comparator.comparingDouble(Result::score).reversed()))
                    .toList();
        }

        /** The result of a rule, or null. */
        public Result result(String ruleId) {
            for (Result r : results) if (r.ruleId().equals(ruleId)) return r;
            return null;
        }
    }

    /** Held so that the level sticks: JMC logs skipped damaged chunks and rule problems at INFO/WARNING. */
    private static final Logger JMC_LOG = Logger.getLogger("org.openjdk.jmc.flightrecorder");

    static {
        JMC_LOG.setLevel(Level.SEVERE);
    }

    private JmcRules() { }

    /**
     * Loads the recording as JMC's item collection, e.g. with {@link JfrLoaderToolkit#loadEvents(InputStream)}.
     * Runs on the rules' own thread, so it may be abandoned at the time limit.
     */
    @FunctionalInterface
    public interface Loader {
        IItemCollection load(ProgressSink progress) throws ProfileFormatException, IOException;
    }

    public static Report run(String name, Loader loader, ProgressSink progress) throws ProfileFormatException, IOException {
        return run(name, loader, progress, DEFAULT_TIMEOUT);
    }

    /**
     * Loads the recording {@code name} through {@code loader} and evaluates every rule, within {@code timeout}
     * (loading included).
     *
     * @throws ProfileFormatException when the file is not a JFR recording JMC can load
     * @throws CancellationException  when {@code progress} is cancelled
     */
    public static Report run(String name, Loader loader, ProgressSink progress, Duration timeout)
            throws ProfileFormatException, IOException {
        long start = System.nanoTime(), deadline = start + timeout.toNanos();
        List<IRule> rules = ordered(RuleRegistry.getRules());
        ExecutorService exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kiln-jmc-rules");
            t.setDaemon(true);
            return t;
        });
        try {
            IItemCollection items;
            try {
                items = await(exec.submit(() -> loader.load(progress)), deadline, progress);
            } catch (TimeoutException e) {
                return new Report(List.of(), rules.size(), false,
                        "loading the recording took longer than the time limit of " + timeout.toSeconds() + " s",
                        millisSince(start), 0);
            } catch (ExecutionException e) {
                throw loadFailure(name, e.getCause());
            }
            long loaded = System.nanoTime();
            List<Result> results = new ArrayList<>();
            Map<Class<?>, IResult> done = new HashMap<>();
            ResultProvider provider = new ResultProvider();
            for (int i = 0; i < rules.size(); i++) {
                IRule rule = rules.get(i);
                progress.progress(i, rules.size(), "JMC rule " + rule.getName());
                String skip = skipReason(rule, items, done);
                if (skip != null) {
                    results.add(new Result(rule.getId(), plain(rule.getName()), plain(rule.getTopic()), "NA", -1,
                            skip, "", ""));
                    continue;
                }
                RunnableFuture<IResult> f = rule.createEvaluation(items, IPreferenceValueProvider.DEFAULT_VALUES, provider);
                exec.execute(f);
                IResult r;
                try {
                    r = await(f, deadline, progress);
                } catch (TimeoutException e) {
                    return new Report(results, rules.size(), false, "stopped at the time limit of "
                            + timeout.toSeconds() + " s while evaluating rule " + rule.getId() + "; " + i + " of "
                            + rules.size() + " rules were evaluated", (loaded - start) / 1_000_000, millisSince(loaded));
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    results.add(new Result(rule.getId(), plain(rule.getName()), plain(rule.getTopic()), "ERROR", -1,
                            "The rule failed: " + c.getClass().getSimpleName()
                                    + (c.getMessage() == null ? "" : " (" + plain(c.getMessage()) + ")"), "", ""));
                    continue;
                }
                if (r == null) continue;
                provider.addResults(r);
                done.put(rule.getClass(), r);
                results.add(convert(rule, r));
            }
            progress.progress(rules.size(), rules.size(), "JMC rules");
            return new Report(results, rules.size(), true, null, (loaded - start) / 1_000_000, millisSince(loaded));
        } finally {
            exec.shutdownNow();
        }
    }

    private static long millisSince(long t) { return (System.nanoTime() - t) / 1_000_000; }

    /** Rules sorted by id, each after the rule it depends on. */
    private static List<IRule> ordered(Iterable<IRule> all) {
        List<IRule> pending = new ArrayList<>();
        for (IRule r : all) pending.add(r);
        pending.sort(Comparator.comparing(IRule::getId));
        List<IRule> out = new ArrayList<>();
        while (!pending.isEmpty()) {
            boolean moved = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                IRule r = it.next();
                DependsOn dep = r.getClass().getAnnotation(DependsOn.class);
                boolean ready = dep == null || out.stream().anyMatch(o -> o.getClass() == dep.value())
                        || pending.stream().noneMatch(o -> o.getClass() == dep.value());
                if (ready) {
                    out.add(r);
                    it.remove();
                    moved = true;
                }
            }
            if (!moved) { // a dependency cycle: keep the rest in id order
                out.addAll(pending);
                pending.clear();
            }
        }
        return out;
    }

    /** Why a rule is not evaluated, as JMC decides it, or null to evaluate it. */
    private static String skipReason(IRule rule, IItemCollection items, Map<Class<?>, IResult> done) {
        if (!RulesToolkit.matchesEventAvailabilityMap(items, rule.getRequiredEvents())) {
            String why = RulesToolkit.getIgnoreReason(items, rule);
            return why == null || why.isBlank() ? "The recording lacks the events this rule needs." : plain(why);
        }
        DependsOn dep = rule.getClass().getAnnotation(DependsOn.class);
        if (dep != null) {
            IResult before = done.get(dep.value());
            if (before == null || before.getSeverity().compareTo(dep.severity()) < 0) {
                return "Not evaluated: it depends on rule " + dep.value().getSimpleName() + ", whose result is below "
                        + dep.severity().name() + ".";
            }
        }
        return null;
    }

    private static Result convert(IRule rule, IResult r) {
        IQuantity score = r.getResult(TypedResult.SCORE);
        return new Result(rule.getId(), plain(rule.getName()), plain(rule.getTopic()), r.getSeverity().name(),
                score == null ? -1 : score.doubleValue(), text(r, r.getSummary()), text(r, r.getExplanation()),
                text(r, r.getSolution()));
    }

    private static String text(IResult r, String template) {
        if (template == null) return "";
        try {
            // Filled HTML-encoded, so that values such as "<init>" survive the removal of the template's tags.
            return plain(ResultToolkit.populateMessage(r, template, true));
        } catch (RuntimeException e) {
            return plain(template);
        }
    }

    private static final Pattern LINK = Pattern.compile("(?is)<a\\s[^>]*href\\s*=\\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a>");
    private static final Pattern BREAK = Pattern.compile("(?i)<br\\s*/?>|</?p\\s*>|</?ul\\s*>|</?ol\\s*>|</li\\s*>");
    private static final Pattern ITEM = Pattern.compile("(?i)<li(\\s[^>]*)?>");
    private static final Pattern TAG = Pattern.compile("<[!/?a-zA-Z][^>]*>");
    private static final Pattern MD_LINK = Pattern.compile("\\[([^\\]\n]+)]\\((https?://[^)\\s]+)\\)");
    private static final Pattern ENTITY = Pattern.compile("&(#\\d+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);");

    /**
     * An HTML fragment as plain text: links (HTML or Markdown) become "text (url)", list items "- text" on their own lines,
     * paragraphs and breaks newlines, other tags are removed and entities decoded; blank runs are collapsed.
     */
    public static String plain(String html) {
        if (html == null) return "";
        String s = html.replace("\r", "");
        Matcher m = LINK.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String text = m.group(2).trim(), url = m.group(1).trim();
            m.appendReplacement(b, Matcher.quoteReplacement(text.equals(url) || url.isEmpty() ? text : text + " (" + url + ")"));
        }
        m.appendTail(b);
        s = ITEM.matcher(b.toString()).replaceAll("\n- ");
        s = BREAK.matcher(s).replaceAll("\n");
        s = TAG.matcher(s).replaceAll("");
        s = decodeEntities(s);
        s = MD_LINK.matcher(s).replaceAll("$1 ($2)");
        s = s.replace("''", "'"); // MessageFormat's escaped apostrophe, left in by JMC's texts
        StringBuilder out = new StringBuilder();
        for (String line : s.split("\n")) {
            String l = line.replaceAll("[ \\t\\u00a0]+", " ").trim();
            if (l.isEmpty()) {
                if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') out.append('\n');
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != '\n') out.append('\n');
            out.append(l);
        }
        return out.toString().trim();
    }

    private static String decodeEntities(String s) {
        Matcher m = ENTITY.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String r = switch (e) {
                case "lt" -> "<";
                case "gt" -> ">";
                case "amp" -> "&";
                case "quot" -> "\"";
                case "apos" -> "'";
                case "nbsp" -> " ";
                default -> {
                    if (e.startsWith("#")) {
                        try {
                            int cp = e.startsWith("#x") || e.startsWith("#X") ? Integer.parseInt(e.substring(2), 16)
                                    : Integer.parseInt(e.substring(1));
                            yield Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : m.group();
                        } catch (NumberFormatException x) {
                            yield m.group();
                        }
                    }
                    yield m.group();
                }
            };
            m.appendReplacement(b, Matcher.quoteReplacement(r));
        }
        m.appendTail(b);
        return b.toString();
    }

    // ---- loading

    private static ProfileFormatException loadFailure(String name, Throwable c) throws IOException {
        if (c instanceof CancellationException ce) throw ce;
        if (c instanceof ProfileFormatException pfe) return pfe;
        if (c instanceof ProfileFormatException pfe) return pfe;
        if (c instanceof OutOfMemoryError) {
            return new ProfileFormatException(name, -1, "JMC's rules need more memory than this JVM has (-Xmx)", c);
        }
        String m = c.getMessage() == null || c.getMessage().isBlank() ? c.getClass().getSimpleName() : c.getMessage();
        if (c instanceof CouldNotLoadRecordingException) {
            return new ProfileFormatException(name, -1, "JMC could not read the recording: " + m, c);
        }
        if (c instanceof IOException && !(c instanceof java.util.zip.ZipException)
                && !(c instanceof java.io.EOFException)) {
            throw (IOException) c;
        }
        return new ProfileFormatException(name, -1, "JMC could not read the recording: " + m, c);
    }

    /** Waits for a future, polling for cancellation; cancels it on cancel or at the deadline. */
    private static <T> T await(Future<T> f, long deadline, ProgressSink progress)
            throws ExecutionException, TimeoutException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                f.cancel(true);
                throw new TimeoutException();
            }
            try {
                return f.get(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (progress.isCancelled()) {
                    f.cancel(true);
                    throw new CancellationException("cancelled");
                }
            } catch (InterruptedException e) {
                f.cancel(true);
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            }
        }
    }
}
