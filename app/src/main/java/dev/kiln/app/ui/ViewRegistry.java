// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.analysis.findings.Finding;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.views.alloc.AllocationsView;
import dev.kiln.views.locks.LocksView;
import dev.kiln.views.overview.OverviewView;
import dev.kiln.views.timeline.ThreadTimelineView;
import dev.kiln.views.tree.CallTreeView;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

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

    /** What the shell offers a view: navigation, the status bar and background jobs. */
    public interface ViewContext {
        /** Switches the capture tab to the view a finding links to. */
        void navigate(Finding.Link link);

        /** Shows a short message in the window's status bar. */
        void status(String message);
    }

    /** An analysis that runs in the background for a view: plain code with progress and cancellation. */
    @FunctionalInterface
    public interface Analysis<T> {
        T run(Profile profile, ProgressSink progress) throws Exception;
    }

    /** One registered view. */
    public record ViewSpec(String id, String title, ViewFactory factory) { }

    /** Finding.Link view names that are shown by a view with another id. */
    public static final Map<String, String> ALIASES = Map.of(Finding.Link.THREADS, "timeline");

    private static final List<ViewSpec> DEFAULTS = new ArrayList<>();

    static {
        register("overview", "Overview", background("Summarising the capture", (profile, progress) -> OverviewView.Data.of(profile),
                (OverviewView.Data data, ViewContext ctx) -> new OverviewView(data, ctx::navigate)));
        register("flame", "Flame graph", profile -> new FlameTab(profile));
        register("tree", "Call tree", profile -> {
            CallTreeView v = new CallTreeView();
            v.setProfile(profile);
            return v;
        });
        register("timeline", "Threads", profile -> {
            ThreadTimelineView v = new ThreadTimelineView();
            v.setProfile(profile);
            return v;
        });
        register("locks", "Locks", profile -> {
            LocksView v = new LocksView();
            v.setProfile(profile);
            return v;
        });
        register("allocs", "Allocations", profile -> {
            AllocationsView v = new AllocationsView();
            v.setProfile(profile);
            return v;
        });
    }

    private ViewRegistry() { }

    /** Adds a view, or replaces the view with the same id in place (keeping its position). */
    public static synchronized void register(String id, String title, ViewFactory factory) {
        ViewSpec spec = new ViewSpec(id, title, factory);
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
