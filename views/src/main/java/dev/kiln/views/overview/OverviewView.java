// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.overview;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.ProfileSummary;
import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.analysis.findings.Finding;
import dev.kiln.analysis.findings.Findings;
import dev.kiln.analysis.findings.Severity;
import dev.kiln.model.Profile;
import dev.kiln.model.Units;
import javafx.geometry.HPos;
import javafx.geometry.Insets;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The first view of a capture: what the file is (format, producer, start, duration, threads), its sample types
 * with sample counts and totals, the events with a duration, warnings (an incomplete file is flagged at the top in
 * a red banner) and Kiln's findings, most urgent first. Clicking a finding (or its "Show" link) passes the
 * finding's {@link Finding.Link} to the navigation callback. The view only draws a precomputed {@link Data}; build
 * that off the FX thread with {@link Data#of(Profile)}, or for a time range with {@link Data#of(Profile, Filter, String)}:
 * then a banner names the range and the numbers cover only that part.
 * <p>
 * For tests, the label showing a sample type's row count carries user data
 * {@code "samples:" + table + ":" + type + "/" + unit}, and its total {@code "total:" + ...} the same way.
 */
public final class OverviewView extends BorderPane {
    /**
     * What the view shows: the summary (with the top {@value #TOP} functions per value type) and the findings, and the time range they cover in
     * words ("" for the whole recording). Immutable.
     */
    public record Data(ProfileSummary summary, List<Finding> findings, String range) {
        public Data {
            findings = List.copyOf(findings);
            range = range == null ? "" : range;
        }

        public Data(ProfileSummary summary, List<Finding> findings) { this(summary, findings, ""); }

        /** Computes the summary and the findings; may take a while on a large profile. */
        public static Data of(Profile p) {
            return new Data(summary(p), Findings.of(p));
        }

        /**
         * The summary and findings of the part of {@code p} in the filter's time range ({@link Profile#timeSlice}),
         * or of all of it when the filter has none; {@code range} names the range for the banner.
         */
        public static Data of(Profile p, Filter f, String range) {
            boolean whole = f == null || (f.fromNanos() == Long.MIN_VALUE && f.toNanos() == Long.MAX_VALUE);
            if (whole) return of(p);
            Profile slice = p.timeSlice(f.fromNanos(), f.toNanos());
            return new Data(summary(slice), Findings.of(slice), range);
        }

        /** The summary with the throwing stacks' {@code exceptions/count} as a value type when the recording threw. */
        private static ProfileSummary summary(Profile p) {
            return ProfileSummary.of(p, TOP, JvmWeights.derivedTables(p));
        }
    }

    /** Functions in the Overview's top table, as {@code go tool pprof -top} shows its first ones. */
    public static final int TOP = 10;

    private final Data data;

    public OverviewView(Data data, Consumer<Finding.Link> onFinding) {
        this.data = data;
        getStyleClass().add("overview");
        ProfileSummary s = data.summary();
        VBox body = new VBox(14);
        body.setPadding(new Insets(16, 20, 20, 20));
        body.getStyleClass().add("overview-body");

        Label title = new Label(s.file());
        title.getStyleClass().add("overview-title");
        body.getChildren().add(title);

        if (!data.range().isEmpty()) {
            Label banner = new Label(data.range() + " only: sample counts and totals, events and findings cover this part"
                    + " of the recording (clear the time range above to see all of it). \"All event types\" counts the whole file.");
            banner.setId("overview-range");
            banner.setWrapText(true);
            banner.setMaxWidth(Double.MAX_VALUE);
            banner.getStyleClass().addAll("banner", "banner-info");
            body.getChildren().add(banner);
        }
        if (s.incomplete()) {
            Label banner = new Label("INCOMPLETE: not all of this file was read (the warnings below say why). The numbers cover only the part that was read.");
            banner.setWrapText(true);
            banner.setMaxWidth(Double.MAX_VALUE);
            banner.getStyleClass().addAll("banner", "banner-error");
            body.getChildren().add(banner);
        }
        for (String w : s.warnings()) {
            // A limit of how the file was recorded (it says what to change "next time") is a note, not a fault.
            boolean note = w.contains("next time");
            Label warn = new Label((note ? "About this recording: " : "Warning: ") + w);
            warn.setWrapText(true);
            warn.setMaxWidth(Double.MAX_VALUE);
            warn.getStyleClass().addAll("banner", note ? "banner-info" : "banner-warning");
            body.getChildren().add(warn);
        }

        // Two columns: what the file holds on the left, the findings (what to look at) on the right.
        VBox left = new VBox(14), right = new VBox(8);
        left.setMinWidth(Region.USE_PREF_SIZE);
        right.setMinWidth(320);
        HBox.setHgrow(right, Priority.ALWAYS);
        HBox columns = new HBox(28, left, right);
        body.getChildren().add(columns);
        GridPane facts = grid();
        int r = 0;
        r = fact(facts, r, "Format", s.format());
        r = fact(facts, r, "Producer", s.producer().isEmpty() ? "(not recorded)" : s.producer());
        if (!s.start().isEmpty()) r = fact(facts, r, "Start", s.start());
        if (s.durationSeconds() > 0) r = fact(facts, r, "Duration", String.format(Locale.ROOT, "%.3f s", s.durationSeconds()));
        if (!s.period().isEmpty()) r = fact(facts, r, "Sampling period", s.period());
        ProfileSummary.GoTrace trace = s.goTrace();
        if (trace != null) {
            r = fact(facts, r, "Goroutines", String.format(Locale.ROOT, "%,d on %d Ps", trace.goroutines(), trace.procs()));
            r = fact(facts, r, "GC", String.format(Locale.ROOT, "%,d cycles, %s in GC", trace.gcCycles(), Units.duration(trace.gcNanos())));
            r = fact(facts, r, "Stop-the-world", String.format(Locale.ROOT, "%,d pauses, %s in all, longest %s", trace.stwPauses(),
                    Units.duration(trace.stwNanos()), Units.duration(trace.stwMaxNanos())));
            if (!trace.mmu().isEmpty()) {
                StringBuilder mmu = new StringBuilder();
                for (var m : trace.mmu()) {
                    mmu.append(mmu.length() == 0 ? "" : ", ").append(Units.duration(m.windowNanos()).replace(".00", ""))
                            .append(' ').append(Math.round(100 * m.mmu())).append('%');
                }
                fact(facts, r, "Min. mutator utilization", mmu.toString());
            }
        } else if (s.threads() > 0) {
            fact(facts, r, "Threads", String.format(Locale.ROOT, "%,d", s.threads()));
        }
        left.getChildren().add(facts);
        if (trace != null && trace.mmuCurve().size() > 1) {
            left.getChildren().add(heading("Minimum mutator utilization"));
            Label note = muted("The lowest share of the Ps the program had in any window of a given length: the GC's"
                    + " stop-the-worlds, background mark workers and mark assists take Ps (as go tool trace counts them).");
            note.setWrapText(true);
            note.setPrefWidth(MmuChart.WIDTH);
            note.setMaxWidth(MmuChart.WIDTH);
            left.getChildren().add(note);
            left.getChildren().add(new MmuChart(trace.mmuCurve()));
        }

        right.getChildren().add(heading("Findings (" + data.findings().size() + ")"));
        if (data.findings().isEmpty()) {
            right.getChildren().add(muted("Nothing stands out in this capture."));
        } else {
            VBox list = new VBox(6);
            for (Finding f : data.findings()) list.getChildren().add(findingRow(f, onFinding));
            right.getChildren().add(list);
        }

        if (!s.sampleTypes().isEmpty()) {
            left.getChildren().add(heading("Sample types"));
            GridPane g = grid();
            header(g, "Value type", "Recorded as", "Samples", "Total");
            int row = 1;
            for (ProfileSummary.SampleTypeSummary t : s.sampleTypes()) {
                String vt = t.type() + "/" + t.unit();
                g.add(cell(vt + (s.defaultValueType().equals(vt) ? "  (default)" : "")), 0, row);
                g.add(cell(t.table()), 1, row);
                Label n = number(String.format(Locale.ROOT, "%,d", t.samples()));
                n.setUserData("samples:" + t.table() + ":" + vt);
                g.add(n, 2, row);
                Label tot = number(Units.format(t.total(), t.unit()));
                tot.setUserData("total:" + t.table() + ":" + vt);
                g.add(tot, 3, row);
                row++;
            }
            rightAlign(g, 2, 3);
            left.getChildren().add(g);
        }

        if (!s.sampleTypes().isEmpty() && !s.sampleTypes().get(0).topSelf().isEmpty()) {
            // pprof's -top of the default value type: flat, flat%, sum%, cum, cum%
            ProfileSummary.SampleTypeSummary t = s.sampleTypes().get(0);
            left.getChildren().add(heading("Top functions by self (" + t.type() + "/" + t.unit() + ")"));
            GridPane g = grid();
            g.setId("overview-top");
            header(g, "Self", "Self %", "Sum %", "Total", "Total %", "Function");
            int row = 1;
            long sum = 0;
            for (ProfileSummary.FunctionRow f : t.topSelf()) {
                sum += f.self();
                g.add(number(Units.format(f.self(), t.unit())), 0, row);
                g.add(number(Units.percent(f.self(), t.total())), 1, row);
                g.add(number(Units.percent(sum, t.total())), 2, row);
                g.add(number(Units.format(f.total(), t.unit())), 3, row);
                g.add(number(Units.percent(f.total(), t.total())), 4, row);
                g.add(cell(f.name()), 5, row);
                row++;
            }
            rightAlign(g, 0, 1, 2, 3, 4);
            left.getChildren().add(g);
        }

        if (!s.eventKinds().isEmpty()) {
            left.getChildren().add(heading("Events with a duration"));
            GridPane g = grid();
            header(g, "Kind", "Event type", "Count", "Total duration");
            int row = 1;
            for (ProfileSummary.EventKindSummary k : s.eventKinds()) {
                g.add(cell(k.name()), 0, row);
                g.add(cell(k.jfrType()), 1, row);
                g.add(number(String.format(Locale.ROOT, "%,d", k.count())), 2, row);
                g.add(number(Units.duration(k.totalDurationNanos())), 3, row);
                row++;
            }
            rightAlign(g, 2, 3);
            left.getChildren().add(g);
        }

        if (!s.eventCounts().isEmpty()) {
            GridPane g = grid();
            int row = 0;
            for (Map.Entry<String, Long> e : s.eventCounts().entrySet()) {
                g.add(cell(e.getKey()), 0, row);
                g.add(number(String.format(Locale.ROOT, "%,d", e.getValue())), 1, row);
                row++;
            }
            rightAlign(g, 1);
            TitledPane all = new TitledPane("All event types (" + s.eventCounts().size() + ")", g);
            all.setExpanded(false);
            all.setAnimated(false);
            left.getChildren().add(all);
        }

        ScrollPane scroll = new ScrollPane(body);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("overview-scroll");
        setCenter(scroll);
    }

    /** What the view shows. */
    public Data data() { return data; }

    private static Node findingRow(Finding f, Consumer<Finding.Link> onFinding) {
        Label badge = new Label(icon(f.severity()) + " " + f.severity().name());
        badge.getStyleClass().addAll("severity", "severity-" + f.severity().name().toLowerCase(Locale.ROOT));
        badge.setMinWidth(100);
        Label title = new Label(f.title());
        title.getStyleClass().add("finding-title");
        title.setWrapText(true);
        Label text = new Label(f.explanation());
        text.setWrapText(true);
        VBox texts = new VBox(3, title, text);
        if (f.link() != null) {
            Hyperlink show = new Hyperlink("Show in " + f.link().view() + " view");
            show.setUserData(f.link());
            show.setOnAction(e -> onFinding.accept(f.link()));
            texts.getChildren().add(show);
        }
        HBox.setHgrow(texts, Priority.ALWAYS);
        HBox row = new HBox(12, badge, texts);
        row.getStyleClass().addAll("finding", "finding-" + f.severity().name().toLowerCase(Locale.ROOT));
        row.setPadding(new Insets(8, 10, 8, 10));
        row.setUserData(f);
        if (f.link() != null) {
            row.setCursor(Cursor.HAND);
            row.setOnMouseClicked(e -> onFinding.accept(f.link()));
        }
        return row;
    }

    private static String icon(Severity s) {
        return switch (s) {
            case CRITICAL -> "\u2716";  // heavy multiplication x
            case WARNING -> "\u25B2";   // triangle
            case INFO -> "\u25CF";      // dot
        };
    }

    private static GridPane grid() {
        GridPane g = new GridPane();
        g.setHgap(24);
        g.setVgap(4);
        g.getStyleClass().add("overview-grid");
        return g;
    }

    private static int fact(GridPane g, int row, String name, String value) {
        Label n = new Label(name);
        n.getStyleClass().add("fact-name");
        Label v = new Label(value);
        v.getStyleClass().add("fact-value");
        v.setWrapText(true);
        g.add(n, 0, row);
        g.add(v, 1, row);
        return row + 1;
    }

    private static void header(GridPane g, String... names) {
        for (int i = 0; i < names.length; i++) {
            Label l = new Label(names[i]);
            l.getStyleClass().add("column-header");
            g.add(l, i, 0);
        }
    }

    private static void rightAlign(GridPane g, int... columns) {
        int max = 0;
        for (int c : columns) max = Math.max(max, c);
        for (int c = 0; c <= max; c++) {
            ColumnConstraints cc = new ColumnConstraints();
            for (int r : columns) if (r == c) cc.setHalignment(HPos.RIGHT);
            g.getColumnConstraints().add(cc);
        }
    }

    private static Label heading(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("section-heading");
        return l;
    }

    private static Label muted(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("muted");
        return l;
    }

    private static Label cell(String text) {
        return new Label(text);
    }

    private static Label number(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("number");
        return l;
    }
}
