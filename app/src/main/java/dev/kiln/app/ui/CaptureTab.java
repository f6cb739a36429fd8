// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.findings.Finding;
import dev.kiln.io.ProfileLoader;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import dev.kiln.views.timeline.ThreadTimelineView;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.concurrent.Task;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.CheckComboBox;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One open capture: loads its file in the background ({@link ProfileLoader#load} with progress and Cancel), then
 * shows an inner tab per view. Views are created when their tab is first selected. If loading fails, the tab shows
 * one message naming the file and the reason, and nothing else changes.
 * <p>
 * The views of one capture share two things through their {@link ViewRegistry.ViewContext}: the selected function
 * ({@link #selectedFunctionProperty()}: selecting a function in the call tree selects it in the flame graph and
 * the other way round) and the filter ({@link #filterProperty()}): a time range chosen on the timeline filters
 * the flame graph, call tree, locks and allocations, and a chip above the views ("Time range: 2.0-5.5 s ×")
 * says so and clears it.
 */
public final class CaptureTab extends Tab {
    /** Where the tab is in its life. */
    public enum State { LOADING, READY, FAILED, CANCELLED }

    private final Path file;
    private final Consumer<String> status;
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.LOADING);
    private Task<Profile> task;
    private final TabPane views = new TabPane();
    private final Map<String, Tab> viewTabs = new LinkedHashMap<>();
    private final List<ViewRegistry.ViewSpec> specs = new ArrayList<>();
    private final ViewRegistry.ViewContext context;
    private final StringProperty selectedFunction = new SimpleStringProperty(this, "selectedFunction");
    private final ObjectProperty<Filter> filter = new SimpleObjectProperty<>(this, "filter", Filter.NONE);
    private final Label rangeLabel = new Label();
    private final HBox rangeChip;
    private final VBox notices = new VBox();
    /** Whether only the CPU samples were loaded, because the whole recording did not fit in memory. */
    private boolean cpuOnly;
    /** Whether only the recording's most recent chunks were loaded, for the same reason. */
    private boolean latestOnly;
    private Profile profile;
    private String error = "";
    /** The file's size, read by the load job (-1 until then). */
    private volatile long fileSizeBytes = -1;
    /** The threads or goroutine groups the picker offers, found by the load job. */
    private volatile ThreadPicks picks = ThreadPicks.NONE;
    private final CheckComboBox<ThreadPicks.Pick> threadPicker = new CheckComboBox<>();
    /** The view to select once loaded (the one last used, when this capture has it), or null for the first. */
    private String preferredView;
    private Consumer<String> onViewSelected = id -> { };

    /**
     * Starts loading {@code file} and offers the views of {@link ViewRegistry#views()}; {@code status} receives
     * short messages for the window's status bar.
     */
    public CaptureTab(Path file, Consumer<String> status) {
        super(file.getFileName().toString());
        this.file = file;
        this.status = status;
        setTooltip(new Tooltip(file.toAbsolutePath().toString()));
        getStyleClass().add("capture-tab");
        specs.addAll(ViewRegistry.views());
        context = new ViewRegistry.ViewContext() {
            @Override
            public void navigate(Finding.Link link) { CaptureTab.this.navigate(link); }

            @Override
            public void status(String message) { status.accept(message); }

            @Override
            public StringProperty selectedFunction() { return selectedFunction; }

            @Override
            public ObjectProperty<Filter> filter() { return filter; }

            @Override
            public Path file() { return file; }

            @Override
            public void showInTimeline(long startNanos, long durationNanos, int thread) {
                CaptureTab.this.showInTimeline(startNanos, durationNanos, thread);
            }

    /** The file's size in bytes once the load has started reading it, else -1. */
    public long fileSizeBytes() { return fileSizeBytes; }
        };
        rangeLabel.setId("time-range-label");
        Button clearRange = new Button("\u00d7");
        clearRange.setId("clear-time-range");
        clearRange.setTooltip(new Tooltip("Show the whole recording again"));
        clearRange.setOnAction(e -> clearTimeRange());
        clearRange.setStyle("-fx-padding: 0 6 0 6; -fx-background-radius: 9;");
        rangeChip = new HBox(6, rangeLabel, clearRange);
        rangeChip.setAlignment(Pos.CENTER_LEFT);
        rangeChip.setStyle("-fx-background-color: #d0ebff; -fx-background-radius: 12; -fx-padding: 2 4 2 10;");
        rangeChip.setMaxWidth(Region.USE_PREF_SIZE);
        rangeChip.setVisible(false);
        rangeChip.setManaged(false);
        filter.addListener((o, was, f) -> showRange(f));
        views.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        views.getStyleClass().add("view-tabs");
        views.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            ensureBuilt(now);
            if (now != null && profile != null) onViewSelected.accept(((ViewRegistry.ViewSpec) now.getUserData()).id());
        });

        startLoading(null);
        setOnClosed(e -> task.cancel());
    }

    /** Loads the file in the background: whole, or only the given JFR event types (e.g. the CPU samples). */
    private void startLoading(java.util.Set<String> jfrEventTypes) {
        String name = file.getFileName().toString();
        Task<Profile> t = FxJobs.start("Loading " + name, sink -> {
            try {
                fileSizeBytes = java.nio.file.Files.size(file);
            } catch (IOException e) {
                fileSizeBytes = -1; // the load says why
            }
            Profile p = latestOnly ? ProfileLoader.loadLatest(file, sink) : ProfileLoader.load(file, sink, jfrEventTypes);
            picks = ThreadPicks.of(p);
            return p;
        });
        task = t;
        setContent(loadingPane(name));
        t.setOnSucceeded(e -> loaded(t.getValue()));
        t.setOnFailed(e -> failed(t.getException()));
        t.setOnCancelled(e -> cancelled());
    }

    private Node loadingPane(String name) {
        return loadingPane("Loading " + name + "...", task, this::cancel);
    }

    /** The pane of a tab that is still loading: what, a progress bar and message bound to the task, and Cancel. */
    static VBox loadingPane(String title, Task<?> task, Runnable cancel) {
        return loadingPane(title, task, "Cancel", cancel);
    }

    /** {@link #loadingPane(String, Task, Runnable)} with another label on the button (e.g. Stop). */
    static VBox loadingPane(String title, Task<?> task, String buttonText, Runnable cancel) {
        Label label = new Label(title);
        label.getStyleClass().add("loading-title");
        ProgressBar bar = new ProgressBar();
        bar.setPrefWidth(360);
        bar.progressProperty().bind(task.progressProperty());
        Label detail = new Label();
        detail.textProperty().bind(task.messageProperty());
        detail.getStyleClass().add("muted");
        Button button = new Button(buttonText);
        button.setId("cancel-load");
        button.setOnAction(e -> cancel.run());
        VBox box = new VBox(10, label, bar, detail, button);
        box.setAlignment(Pos.CENTER);
        return box;
    }

    private void loaded(Profile p) {
        profile = p;
        for (ViewRegistry.ViewSpec s : specs) if (s.appliesTo().test(p)) addViewTab(s);
        HBox chipBar = new HBox(8);
        chipBar.setAlignment(Pos.CENTER_LEFT);
        chipBar.setPadding(new javafx.geometry.Insets(4, 6, 0, 6));
        ThreadPicks tp = picks;
        if (tp.picks().size() > 1) {
            setUpThreadPicker(tp);
            chipBar.getChildren().add(threadPicker);
        }
        chipBar.getChildren().add(rangeChip);
        if (chipBar.getChildren().size() == 1) {
            chipBar.managedProperty().bind(rangeChip.managedProperty());
            chipBar.visibleProperty().bind(rangeChip.visibleProperty());
        }
        setContent(new BorderPane(views, new VBox(notices, chipBar), null, null, null));
        if (preferredView != null && viewTabs.containsKey(preferredView)) views.getSelectionModel().select(viewTabs.get(preferredView));
        state.set(State.READY);
        ensureBuilt(views.getSelectionModel().getSelectedItem());
        if (latestOnly) {
            String what = p.warnings().stream().filter(w -> w.startsWith("only the last ")).findFirst().orElse("only its most recent part was loaded");
            showNotice("Of " + file.getFileName() + ", " + what + ". Views and counts cover that part.", "OK", "latest-ok", () -> { });
        }
        if (cpuOnly) {
            showNotice("Only the CPU samples of " + file.getFileName() + " were loaded: the whole recording needs more memory "
                    + "than Kiln has (-Xmx). Other event types are only counted (Overview > All event types).", "OK", "cpu-only-ok", () -> { });
        }
    }

    private void failed(Throwable t) {
        String why = describe(t);
        if (t instanceof dev.kiln.model.ProfileTooLargeException tl && cpuOnly) {
            // the lighter load did not fit either: its message would offer it again
            why = String.format(java.util.Locale.ROOT, "even its CPU samples alone need about %,d MB of memory, and Kiln has %,d MB free; "
                    + "start Kiln with more memory (-Xmx)", (tl.neededBytes() + (1 << 20) - 1) >> 20, Math.max(0, tl.availableBytes()) >> 20);
        }
        if (t instanceof dev.kiln.model.ProfileTooLargeException tl && latestOnly) {
            why = String.format(java.util.Locale.ROOT, "even its most recent chunk needs about %,d MB of memory, and Kiln has %,d MB free; "
                    + "open its CPU samples only, or start Kiln with more memory (-Xmx)", (tl.neededBytes() + (1 << 20) - 1) >> 20,
                    Math.max(0, tl.availableBytes()) >> 20);
        }
        error = "Could not open " + file.getFileName() + ": " + why;
        List<Button> extra = new java.util.ArrayList<>();
        if (t instanceof dev.kiln.model.ProfileTooLargeException && !cpuOnly) {
            // a recording too big for the heap still gives its CPU flame graph, call tree and threads' samples,
            // or everything about its most recent part
            Button cpuButton = new Button("Open CPU samples only");
            cpuButton.setId("open-cpu-only");
            cpuButton.setOnAction(e -> retry(true, false));
            extra.add(cpuButton);
            if (!latestOnly) {
                Button latestButton = new Button("Open the latest part that fits");
                latestButton.setId("open-latest");
                latestButton.setOnAction(e -> retry(false, true));
                extra.add(latestButton);
            }
        }
        String title = !extra.isEmpty() ? file.getFileName() + " is too large to open whole" : "Could not open " + file.getFileName();
        setContent(errorPane(title, why, file.toAbsolutePath().toString(), this::close, extra.toArray(new Button[0])));
        getStyleClass().add("tab-error");
        state.set(State.FAILED);
    }

    /**
     * The ControlsFX {@link CheckComboBox} above the views: the threads (or a Go trace's goroutine groups) checked
     * are the only ones every view of this capture shows; none checked shows all.
     */
    private void setUpThreadPicker(ThreadPicks tp) {
        threadPicker.setId("thread-picker");
        threadPicker.getItems().setAll(tp.picks());
        String all = "All " + tp.noun() + " (" + String.format(java.util.Locale.ROOT, "%,d", tp.count()) + ")";
        threadPicker.setTitle(all);
        threadPicker.setTooltip(new Tooltip("Show only the checked " + tp.noun() + " in every view of this capture"));
        threadPicker.getCheckModel().getCheckedItems().addListener((javafx.collections.ListChangeListener<ThreadPicks.Pick>) c -> {
            List<ThreadPicks.Pick> on = List.copyOf(threadPicker.getCheckModel().getCheckedItems());
            java.util.Set<Integer> rows = new java.util.HashSet<>();
            for (ThreadPicks.Pick p : on) rows.addAll(p.threads());
            threadPicker.setTitle(on.isEmpty() ? all : on.size() == 1 ? on.get(0).label() : on.size() + " of " + tp.picks().size() + " " + tp.noun());
            filter.set(filter.get().withThreads(on.isEmpty() ? null : java.util.Set.copyOf(rows)));
            if (!on.isEmpty()) status.accept("Every view of " + file.getFileName() + " shows " + threadPicker.getTitle() + " only");
        });
    }

    /** The thread picker (a ControlsFX CheckComboBox), shown once loaded when the capture has two threads or more. */
    CheckComboBox<ThreadPicks.Pick> threadPicker() { return threadPicker; }

    /** Loads again after a refusal: the CPU samples alone, or the recording's most recent part that fits. */
    private void retry(boolean cpuSamplesOnly, boolean latestPart) {
        getStyleClass().remove("tab-error");
        error = null;
        state.set(State.LOADING);
        cpuOnly = cpuSamplesOnly;
        latestOnly = latestPart;
        startLoading(cpuSamplesOnly ? java.util.Set.of("jdk.ExecutionSample") : null);
    }

    /**
     * The error banner of a tab whose capture could not be opened: a title, the reason (capitalised), a detail
     * line (the file's path) and a button that runs {@code close}. Shared by capture and diff tabs.
     */
    static Node errorPane(String titleText, String why, String detail, Runnable close, Button... actions) {
        Label title = new Label(titleText);
        title.getStyleClass().add("error-title");
        Label reason = new Label(why.isEmpty() ? why : Character.toUpperCase(why.charAt(0)) + why.substring(1));
        reason.setWrapText(true);
        reason.getStyleClass().add("error-reason");
        Label path = new Label(detail);
        path.getStyleClass().add("muted");
        path.setWrapText(true);
        Button closeButton = new Button("Close tab");
        closeButton.setOnAction(e -> close.run());
        HBox buttons = new HBox(8, actions);
        buttons.getChildren().add(closeButton);
        VBox banner = new VBox(8, title, reason, path, buttons);
        banner.getStyleClass().addAll("banner", "banner-error", "load-error");
        banner.setMaxWidth(720);
        banner.setMaxHeight(VBox.USE_PREF_SIZE);
        StackPane pane = new StackPane(banner);
        pane.setAlignment(Pos.TOP_CENTER);
        pane.getStyleClass().add("error-pane");
        return pane;
    }

    private void cancelled() {
        Label l = new Label("Loading " + file.getFileName() + " was cancelled.");
        Button close = new Button("Close tab");
        close.setOnAction(e -> close());
        VBox box = new VBox(10, l, close);
        box.setAlignment(Pos.CENTER);
        setContent(box);
        state.set(State.CANCELLED);
        status.accept("Cancelled loading " + file.getFileName());
    }

    private void close() {
        TabPane pane = getTabPane();
        task.cancel();
        if (pane != null) pane.getTabs().remove(this);
    }

    /**
     * Shows a bar above the views (once loaded) saying {@code text}, with a button that runs {@code action} and then
     * hides the bar, and a × that only hides it. Returns the bar.
     */
    public HBox showNotice(String text, String buttonText, String buttonId, Runnable action) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.setMinWidth(0);
        Button go = new Button(buttonText);
        go.setId(buttonId);
        go.setMinWidth(Region.USE_PREF_SIZE);
        Button dismiss = new Button("\u00d7");
        dismiss.setTooltip(new Tooltip("Hide this"));
        dismiss.setStyle("-fx-padding: 0 6 0 6;");
        dismiss.setMinWidth(Region.USE_PREF_SIZE);
        Region spacer = new Region();
        HBox.setHgrow(spacer, javafx.scene.layout.Priority.ALWAYS);
        HBox bar = new HBox(10, l, spacer, go, dismiss);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().addAll("banner", "banner-info");
        VBox.setMargin(bar, new javafx.geometry.Insets(6, 6, 0, 6));
        go.setOnAction(e -> { notices.getChildren().remove(bar); action.run(); });
        dismiss.setOnAction(e -> notices.getChildren().remove(bar));
        notices.getChildren().add(bar);
        return bar;
    }

    /** The bars shown by {@link #showNotice} and not hidden yet. */
    public List<Node> notices() { return List.copyOf(notices.getChildren()); }

    /** A short user-facing reason for a load or analysis failure. */
    static String describe(Throwable t) {
        if (t instanceof ProfileFormatException e) {
            return e.reason() + (e.offset() >= 0 ? " (at byte " + e.offset() + ")" : "");
        }
        if (t instanceof NoSuchFileException) return "the file does not exist";
        if (t instanceof AccessDeniedException) return "permission denied";
        if (t instanceof IOException) return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof OutOfMemoryError) return "not enough memory to load this capture (start Kiln with a larger -Xmx)";
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Adds a view (after the registered ones); it is built when its tab is first selected. */
    public void addView(String id, String title, ViewRegistry.ViewFactory factory) {
        ViewRegistry.ViewSpec spec = new ViewRegistry.ViewSpec(id, title, factory);
        specs.add(spec);
        if (profile != null && spec.appliesTo().test(profile)) addViewTab(spec);
    }

    /** {@link #addView(String, String, ViewRegistry.ViewFactory)} for a view that only needs the profile. */
    public void addView(String id, String title, Function<Profile, Node> factory) {
        addView(id, title, (ViewRegistry.ViewFactory) (p, ctx) -> factory.apply(p));
    }

    private void addViewTab(ViewRegistry.ViewSpec spec) {
        Tab t = new Tab(spec.title());
        t.setId("view-" + spec.id());
        t.setUserData(spec);
        viewTabs.put(spec.id(), t);
        views.getTabs().add(t);
    }

    private void ensureBuilt(Tab t) {
        if (t == null || t.getContent() != null || profile == null) return;
        ViewRegistry.ViewSpec spec = (ViewRegistry.ViewSpec) t.getUserData();
        try {
            t.setContent(spec.factory().create(profile, context));
        } catch (RuntimeException e) {
            Label l = new Label(spec.title() + " failed: " + describe(e));
            l.setWrapText(true);
            t.setContent(l);
        }
    }

    /**
     * Selects the view a finding links to and passes it the link if it can show one; if there is no such view,
     * says so in the status bar. Returns whether the view exists.
     */
    public boolean navigate(Finding.Link link) {
        String id = ViewRegistry.viewFor(link.view());
        if (!selectView(id)) {
            status.accept("There is no " + link.view() + " view yet (" + link.filter() + ": " + link.value() + ")");
            return false;
        }
        Node content = viewTabs.get(id).getContent();
        if (content instanceof Consumer<?> c) {
            @SuppressWarnings("unchecked") Consumer<Finding.Link> target = (Consumer<Finding.Link>) c;
            target.accept(link);
        }
        status.accept("Showing " + viewTabs.get(id).getText() + " for " + link.value());
        return true;
    }

    /**
     * Selects the Threads tab and shows there {@code [startNanos, startNanos + durationNanos)} with the lane of
     * {@code thread} selected (-1: none); false when the capture has no Threads tab.
     */
    public boolean showInTimeline(long startNanos, long durationNanos, int thread) {
        if (!selectView("timeline") || !(viewTabs.get("timeline").getContent() instanceof ThreadTimelineView v)) return false;
        v.reveal(startNanos, durationNanos, thread);
        long origin = profile.startEpochNanos() > 0 && profile.startEpochNanos() <= startNanos ? profile.startEpochNanos() : 0;
        status.accept(String.format(Locale.ROOT, "Showing %.3f s%s on the timeline", (startNanos - origin) / 1e9,
                thread >= 0 ? " of " + profile.threadName(thread) : ""));
        return true;
    }

    /** Selects (and builds) the view with this id; false if there is none or the capture is not loaded. */
    public boolean selectView(String id) {
        Tab t = viewTabs.get(id);
        if (t == null) return false;
        views.getSelectionModel().select(t);
        ensureBuilt(t);
        return true;
    }

    /** The selected view's id, or null before the capture is loaded. */
    public String selectedView() {
        Tab t = views.getSelectionModel().getSelectedItem();
        return t == null || profile == null ? null : ((ViewRegistry.ViewSpec) t.getUserData()).id();
    }

    /** The ids of the views this capture offers, in tab order (only those that apply to it; none before it is loaded). */
    public List<String> viewIds() {
        return views.getTabs().stream().map(t -> ((ViewRegistry.ViewSpec) t.getUserData()).id()).toList();
    }

    /** Selects view {@code id} once loaded, if this capture has it (the window's last view); null for the first. */
    public void setPreferredView(String id) { preferredView = id; }

    /** Called with a view's id whenever the user selects one in this loaded capture. */
    public void setOnViewSelected(Consumer<String> listener) { onViewSelected = listener == null ? id -> { } : listener; }

    /** The node of a view if it was built, else null. */
    public Node viewNode(String id) {
        Tab t = viewTabs.get(id);
        return t == null ? null : t.getContent();
    }

    // ---- shared state of the capture's views

    /** The function selected in any view of this capture (null for none). */
    public StringProperty selectedFunctionProperty() { return selectedFunction; }

    /** The filter all views of this capture apply ({@link Filter#NONE} for none). */
    public ObjectProperty<Filter> filterProperty() { return filter; }

    /** Applies the time range {@code [fromNanos, toNanos)} (epoch ns) to every view of this capture. */
    public void setTimeRange(long fromNanos, long toNanos) {
        if (toNanos <= fromNanos) throw new IllegalArgumentException("empty time range");
        filter.set(filter.get().withTimeRange(fromNanos, toNanos));
    }

    /** Removes the time range (the views show the whole recording again). */
    public void clearTimeRange() { filter.set(filter.get().withTimeRange(Long.MIN_VALUE, Long.MAX_VALUE)); }

    /** The chip's text ("Time range: 2.0-5.5 s"), or "" when there is no time range. */
    public String timeRangeText() { return rangeChip.isVisible() ? rangeLabel.getText() : ""; }

    private void showRange(Filter f) {
        boolean on = ViewRegistry.rangeOf(f) != null;
        rangeChip.setVisible(on);
        rangeChip.setManaged(on);
        if (!on) {
            rangeLabel.setText("");
            return;
        }
        long origin = profile != null && profile.startEpochNanos() > 0 && profile.startEpochNanos() <= f.fromNanos()
                ? profile.startEpochNanos() : 0;
        rangeLabel.setText(rangeText(f.fromNanos() - origin, f.toNanos() - origin));
        status.accept("Every view of " + file.getFileName() + " shows " + rangeLabel.getText().replace("Time range: ", "") + " only");
    }

    /** "Time range: 2.0-5.5 s" for offsets in ns (more decimals for short ranges). */
    static String rangeText(long from, long to) {
        long span = to - from;
        int dec = span >= 1_000_000_000L ? 1 : span >= 10_000_000L ? 2 : 3;
        return String.format(Locale.ROOT, "Time range: %." + dec + "f-%." + dec + "f s", from / 1e9, to / 1e9);
    }

    /** Cancels loading (no effect once loaded). */
    public void cancel() { task.cancel(); }

    public Path file() { return file; }

    /** The file's size in bytes once the load has started reading it, else -1. */
    public long fileSizeBytes() { return fileSizeBytes; }

    /** The loaded profile, or null until {@link State#READY}. */
    public Profile profile() { return profile; }

    /** The load task (for progress in the status bar and for tests). */
    public Task<Profile> loadTask() { return task; }

    /** The message shown when loading failed, else empty. */
    public String error() { return error; }

    public State state() { return state.get(); }

    public ReadOnlyObjectProperty<State> stateProperty() { return state.getReadOnlyProperty(); }
}
