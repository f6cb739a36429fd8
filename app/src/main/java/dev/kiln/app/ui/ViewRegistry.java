// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.analysis.jvm.Compilations;
import dev.kiln.analysis.jvm.Safepoints;
import dev.kiln.views.jvm.JitView;
import dev.kiln.views.jvm.SafepointsView;
import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.alloc.Allocations;
import dev.kiln.analysis.findings.Finding;
import dev.kiln.analysis.jvm.CpuLoad;
import dev.kiln.analysis.jvm.GcPauses;
import dev.kiln.analysis.jvm.IoTargets;
import dev.kiln.analysis.jvm.JvmEnvironment;
import dev.kiln.analysis.jvm.ThrownExceptions;
import dev.kiln.analysis.locks.ContentionSites;
import dev.kiln.analysis.locks.LockGraph;
import dev.kiln.analysis.timeline.GoroutineStates;
import dev.kiln.io.SourceFiles;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.views.alloc.AllocationsView;
import dev.kiln.views.jvm.CpuView;
import dev.kiln.views.jvm.EventBrowserView;
import dev.kiln.views.jvm.EnvironmentView;
import dev.kiln.views.jvm.ExceptionsView;
import dev.kiln.views.jvm.IoView;
import dev.kiln.views.jvm.MemoryView;
import dev.kiln.views.locks.LocksView;
import dev.kiln.views.timeline.ThreadTimelineView;
import dev.kiln.views.tree.CallTreeView;
import dev.kiln.views.graph.GraphView;
import dev.kiln.views.tree.PeekView;
import dev.kiln.views.tree.SourceView;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.DirectoryChooser;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The views every capture tab offers, in tab order. This is where a new view is plugged into the shell: replace
 * its "coming soon" placeholder in {@link #DEFAULTS}' static block with
 * {@code register("flame", "Flame graph", profile -> new FlameView(...))} or, when the view needs a heavy
 * analysis first, {@code register("tree", "Call tree", ViewRegistry.background("Building the call tree",
 * (profile, progress) -> CallTree.of(...), (tree, ctx) -> new CallTreeView(tree)))}.
 * <p>
 * Factories run on the FX thread when the view's tab is first selected, never before; a factory that throws
 * shows its error in the view's tab. A view that can show a {@link Finding.Link} (a finding clicked in the
 * Overview) implements {@code Consumer<Finding.Link>}; the shell calls it after selecting the view.
 */
public final class ViewRegistry {
    /** Builds a view's node for one loaded profile, on the FX thread. */
    @FunctionalInterface
    public interface ViewFactory {
        Node create(Profile profile, ViewContext context);
    }

    /**
     * What the shell offers a view: navigation, the status bar, and the capture's shared state that every view of
     * one capture follows (the selected function and the filter, e.g. a time range chosen on the timeline).
     */
    public interface ViewContext {
        /** Switches the capture tab to the view a finding links to. */
        void navigate(Finding.Link link);

        /** Shows a short message in the window's status bar. */
        void status(String message);

        /**
         * The function selected in any view of the capture (null for none); views set it when the user selects
         * a function and follow it otherwise (see {@link #syncSelection}). The default is not shared.
         */
        default StringProperty selectedFunction() { return new SimpleStringProperty(); }

        /** The filter every view of the capture applies (never null; {@link Filter#NONE} for none). The default is not shared. */
        default ObjectProperty<Filter> filter() { return new SimpleObjectProperty<>(Filter.NONE); }

        /** The capture's file (null when it has none, e.g. in tests). */
        default Path file() { return null; }

        /**
         * Switches to the Threads tab and shows there the time {@code [startNanos, startNanos + durationNanos)} (epoch
         * ns) with the lane of {@code thread} (a ThreadTable row, -1 for none) selected: "Show in timeline" of an event.
         * Changes no filter. The default does nothing.
         */
        default void showInTimeline(long startNanos, long durationNanos, int thread) { }
    }

    /** Where the Source view of every capture looks for sources; replaced by tests. */
    static SourceRoots sourceRoots = new SourceRoots(SourceRoots.defaultStore());

    /** A lookup of source texts under {@code roots}. */
    static SourceView.SourceLookup lookupUnder(List<Path> roots) {
        SourceFiles files = new SourceFiles(roots);
        return path -> files.find(path).map(f -> new SourceView.SourceText(f.location(), f.lines()));
    }

    /**
     * Ties a view's selected function to the capture's {@code bus} both ways: a user selection in the view
     * (non-null) is published, and a published name other than the view's own is applied with {@code select}
     * (now and on every change). Applying does not publish again, so two views never loop.
     */
    public static void syncSelection(StringProperty bus, ReadOnlyStringProperty viewSelection, Consumer<String> select) {
        boolean[] applying = {false};
        viewSelection.addListener((o, was, now) -> {
            if (!applying[0] && now != null && !now.equals(bus.get())) bus.set(now);
        });
        Consumer<String> apply = name -> {
            if (name == null || name.equals(viewSelection.get())) return;
            applying[0] = true;
            try {
                select.accept(name);
            } finally {
                applying[0] = false;
            }
        };
        bus.addListener((o, was, now) -> apply.accept(now));
        apply.accept(bus.get());
    }

    /** An analysis that runs in the background for a view: plain code with progress and cancellation. */
    @FunctionalInterface
    public interface Analysis<T> {
        T run(Profile profile, ProgressSink progress) throws Exception;
    }

    /** One registered view. */
    /**
     * One registered view. {@code appliesTo} says whether a capture has anything for the view to show: a capture
     * tab offers only the views that apply (a heap profile has no Threads or Locks tab).
     */
    public record ViewSpec(String id, String title, ViewFactory factory, Predicate<Profile> appliesTo) {
        public ViewSpec(String id, String title, ViewFactory factory) { this(id, title, factory, p -> true); }
    }

    /** Whether a capture holds samples or events of any weight (what flame graphs, trees and peek need). */
    static boolean hasWeights(Profile p) { return Weights.defaultWeight(p) != null; }

    /** Whether a capture has threads or goroutines to draw lanes or states of. */
    static boolean hasThreads(Profile p) { return p.threads().size() > 0 || GoroutineStates.applies(p); }

    /** Whether a capture has lock events (JFR) or a contention profile (Go block or mutex). */
    static boolean hasLocks(Profile p) { return LockGraph.applies(p) || ContentionSites.applies(p); }

    /** Finding.Link view names that are shown by a view with another id. */
    public static final Map<String, String> ALIASES = Map.of(Finding.Link.THREADS, "timeline");

    private static final List<ViewSpec> DEFAULTS = new ArrayList<>();

    static {
        register("overview", "Overview", (ViewFactory) OverviewTab::new); // follows the time range
        register("flame", "Flame graph", ViewRegistry::hasWeights, FlameTab::new);
        register("tree", "Call tree", ViewRegistry::hasWeights, (profile, ctx) -> {
            CallTreeView v = new CallTreeView();
            v.setProfile(profile, ctx.filter().get());
            ctx.filter().addListener((o, was, f) -> v.setFilter(f));
            // Selecting before the tree is shown is remembered by the view and applied once it is.
            syncSelection(ctx.selectedFunction(), v.selectedFunctionProperty(), v::selectFunction);
            return v;
        });
        register("graph", "Graph", ViewRegistry::hasWeights, (profile, ctx) -> {
            GraphView v = new GraphView();
            v.setProfile(profile, ctx.filter().get());
            ctx.filter().addListener((o, was, f) -> v.setProfile(profile, f));
            // A clicked box becomes the selected function of the other views; one selected there is outlined here.
            syncSelection(ctx.selectedFunction(), v.functionProperty(), v::select);
            return v;
        });
        register("peek", "Peek", ViewRegistry::hasWeights, (profile, ctx) -> {
            PeekView v = new PeekView();
            v.setProfile(profile, ctx.filter().get());
            ctx.filter().addListener((o, was, f) -> v.setProfile(profile, f));
            // The function selected in the call tree or flame graph is the one peeked at, and the other way round.
            syncSelection(ctx.selectedFunction(), v.functionProperty(), v::peek);
            return v;
        });
        register("source", "Source", ViewRegistry::hasWeights, (profile, ctx) -> {
            SourceView v = new SourceView();
            v.setLookup(lookupUnder(sourceRoots.of(ctx.file())));
            v.setOnAddSourceRoot(() -> {
                DirectoryChooser chooser = new DirectoryChooser();
                chooser.setTitle("Folder with the sources of " + profile.sourceName());
                File dir = chooser.showDialog(v.getScene() == null ? null : v.getScene().getWindow());
                if (dir == null) return;
                sourceRoots.add(ctx.file(), dir.toPath());
                v.setLookup(lookupUnder(sourceRoots.of(ctx.file())));
                ctx.status("Looking for sources under " + sourceRoots.of(ctx.file()));
            });
            v.setProfile(profile, ctx.filter().get());
            ctx.filter().addListener((o, was, f) -> v.setProfile(profile, f));
            syncSelection(ctx.selectedFunction(), v.functionProperty(), v::show);
            return v;
        });
        register("timeline", "Threads", ViewRegistry::hasThreads, (profile, ctx) -> {
            ThreadTimelineView v = new ThreadTimelineView();
            v.setProfile(profile);
            // The timeline is where a time range is chosen; it stays unfiltered and shows the range shaded.
            v.timeRangeProperty().set(rangeOf(ctx.filter().get()));
            syncTimeRange(ctx, v.timeRangeProperty());
            ctx.filter().addListener((o, was, f) -> v.timeRangeProperty().set(rangeOf(f)));
            return v;
        });
        register("locks", "Locks", ViewRegistry::hasLocks, (profile, ctx) -> {
            LocksView v = new LocksView();
            v.setProfile(profile, ctx.filter().get());
            ctx.filter().addListener((o, was, f) -> v.setProfile(profile, f));
            return v;
        });
        register("allocs", "Allocations", Allocations::applies, (profile, ctx) -> {
            AllocationsView v = new AllocationsView();
            v.setProfile(profile, ctx.filter().get());
            ctx.filter().addListener((o, was, f) -> v.setProfile(profile, f));
            return v;
        });
        register("memory", "Memory", GcPauses::applies, (profile, ctx) -> {
            MemoryView v = new MemoryView();
            v.setProfile(profile, ctx.filter().get());
            syncTimeRange(ctx, v.timeRangeProperty());
            ctx.filter().addListener((o, was, f) -> v.setFilter(f));
            return v;
        });
        register("io", "I/O", IoTargets::applies, (profile, ctx) -> {
            IoView v = new IoView();
            v.setProfile(profile, ctx.filter().get());
            ctx.filter().addListener((o, was, f) -> v.setProfile(profile, f));
            return v;
        });
        register("cpu", "CPU", CpuLoad::applies, (profile, ctx) -> {
            CpuView v = new CpuView();
            v.setProfile(profile, ctx.filter().get());
            syncTimeRange(ctx, v.timeRangeProperty());
            ctx.filter().addListener((o, was, f) -> v.setFilter(f));
            return v;
        });
        register("events", "Events", p -> !p.jfrEvents().isEmpty(), (profile, ctx) -> {
            EventBrowserView v = new EventBrowserView(); // counts, filters and sorts in its own background jobs
            v.setProfile(profile, ctx.filter().get());
            ctx.filter().addListener((o, was, f) -> v.setFilter(f));
            if (hasThreads(profile)) v.setOnShowInTimeline(e -> ctx.showInTimeline(e.startNanos(), e.durationNanos(), e.thread()));
            return v;
        });
        register("exceptions", "Exceptions", ThrownExceptions::applies, (profile, ctx) -> {
            ExceptionsView v = new ExceptionsView();
            v.setProfile(profile, ctx.filter().get());
            syncTimeRange(ctx, v.timeRangeProperty());
            ctx.filter().addListener((o, was, f) -> v.setFilter(f));
            return v;
        });
        register("environment", "Environment", JvmEnvironment::applies, (profile, ctx) -> {
            EnvironmentView v = new EnvironmentView();
            v.setProfile(profile);
            return v;
        });
        register("jit", "JIT and classes", Compilations::applies, (profile, ctx) -> {
            JitView v = new JitView();
            v.setProfile(profile, ctx.filter().get());
            syncTimeRange(ctx, v.timeRangeProperty());
            ctx.filter().addListener((o, was, f) -> v.setFilter(f));
            return v;
        });
        register("safepoints", "Safepoints", Safepoints::applies, (profile, ctx) -> {
            SafepointsView v = new SafepointsView();
            v.setProfile(profile, ctx.filter().get());
            syncTimeRange(ctx, v.timeRangeProperty());
            ctx.filter().addListener((o, was, f) -> v.setFilter(f));
            return v;
        });
    }

    private ViewRegistry() { }

    /** A range chosen in a view (Shift+drag) becomes the time range of the capture's shared filter. */
    static void syncTimeRange(ViewContext ctx, ObjectProperty<ThreadTimelineView.Range> range) {
        range.addListener((o, was, r) -> {
            Filter f = ctx.filter().get();
            if (!java.util.Objects.equals(r, rangeOf(f))) {
                ctx.filter().set(r == null ? f.withTimeRange(Long.MIN_VALUE, Long.MAX_VALUE) : f.withTimeRange(r.fromNanos(), r.toNanos()));
            }
        });
    }

    /** The time range of a filter as the timeline's range, or null when it has none. */
    static ThreadTimelineView.Range rangeOf(Filter f) {
        return f.fromNanos() == Long.MIN_VALUE && f.toNanos() == Long.MAX_VALUE || f.toNanos() <= f.fromNanos()
                ? null : new ThreadTimelineView.Range(f.fromNanos(), f.toNanos());
    }

    /** Adds a view, or replaces the view with the same id in place (keeping its position). */
    public static void register(String id, String title, ViewFactory factory) { register(id, title, p -> true, factory); }

    /** {@link #register(String, String, ViewFactory)} for a view that only some captures have something for. */
    public static synchronized void register(String id, String title, Predicate<Profile> appliesTo, ViewFactory factory) {
        ViewSpec spec = new ViewSpec(id, title, factory, appliesTo);
        for (int i = 0; i < DEFAULTS.size(); i++) {
            if (DEFAULTS.get(i).id().equals(id)) { DEFAULTS.set(i, spec); return; }
        }
        DEFAULTS.add(spec);
    }

    /** {@link #register(String, String, ViewFactory)} for a view that only needs the profile. */
    public static void register(String id, String title, Function<Profile, Node> factory) {
        register(id, title, (ViewFactory) (profile, ctx) -> factory.apply(profile));
    }

    /** The registered views, in tab order. */
    public static synchronized List<ViewSpec> views() { return List.copyOf(DEFAULTS); }

    /** The view id that shows a {@link Finding.Link#view()}. */
    public static String viewFor(String linkView) { return ALIASES.getOrDefault(linkView, linkView); }

    /**
     * A factory that runs {@code analysis} in a background task (with a progress bar and Cancel in the view's tab)
     * and then builds the view from its result on the FX thread.
     */
    public static <T> ViewFactory background(String what, Analysis<T> analysis, BiFunction<T, ViewContext, Node> view) {
        return (profile, ctx) -> new BackgroundView<>(what, sink -> analysis.run(profile, sink), result -> view.apply(result, ctx));
    }

    /** A placeholder for a view that is not written yet. */
    public static ViewFactory comingSoon(String title) {
        return (profile, ctx) -> {
            Label l = new Label(title + ": coming soon");
            l.getStyleClass().add("placeholder");
            StackPane p = new StackPane(l);
            p.setAlignment(Pos.CENTER);
            return p;
        };
    }
}
