// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.analysis.findings.Finding;
import dev.kiln.io.ProfileLoader;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileFormatException;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.concurrent.Task;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One open capture: loads its file in the background ({@link ProfileLoader#load} with progress and Cancel), then
 * shows an inner tab per view. Views are created when their tab is first selected. If loading fails, the tab shows
 * one message naming the file and the reason, and nothing else changes.
 */
public final class CaptureTab extends Tab {
    /** Where the tab is in its life. */
    public enum State { LOADING, READY, FAILED, CANCELLED }

    private final Path file;
    private final Consumer<String> status;
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.LOADING);
    private final Task<Profile> task;
    private final TabPane views = new TabPane();
    private final Map<String, Tab> viewTabs = new LinkedHashMap<>();
    private final List<ViewRegistry.ViewSpec> specs = new ArrayList<>();
    private final ViewRegistry.ViewContext context;
    private Profile profile;
    private String error = "";

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
        };
        views.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        views.getStyleClass().add("view-tabs");
        views.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> ensureBuilt(now));

        String name = file.getFileName().toString();
        task = FxJobs.start("Loading " + name, sink -> ProfileLoader.load(file, sink));
        setContent(loadingPane(name));
        task.setOnSucceeded(e -> loaded(task.getValue()));
        task.setOnFailed(e -> failed(task.getException()));
        task.setOnCancelled(e -> cancelled());
        setOnClosed(e -> task.cancel());
    }

    private Node loadingPane(String name) {
        Label label = new Label("Loading " + name + "...");
        label.getStyleClass().add("loading-title");
        ProgressBar bar = new ProgressBar();
        bar.setPrefWidth(360);
        bar.progressProperty().bind(task.progressProperty());
        Label detail = new Label();
        detail.textProperty().bind(task.messageProperty());
        detail.getStyleClass().add("muted");
        Button cancel = new Button("Cancel");
        cancel.setId("cancel-load");
        cancel.setOnAction(e -> cancel());
        VBox box = new VBox(10, label, bar, detail, cancel);
        box.setAlignment(Pos.CENTER);
        return box;
    }

    private void loaded(Profile p) {
        profile = p;
        for (ViewRegistry.ViewSpec s : specs) addViewTab(s);
        setContent(views);
        state.set(State.READY);
        ensureBuilt(views.getSelectionModel().getSelectedItem());
    }

    private void failed(Throwable t) {
        error = "Could not open " + file.getFileName() + ": " + describe(t);
        setContent(errorPane("Could not open " + file.getFileName(), describe(t), file.toAbsolutePath().toString(), this::close));
        getStyleClass().add("tab-error");
        state.set(State.FAILED);
    }

    /**
     * The error banner of a tab whose capture could not be opened: a title, the reason (capitalised), a detail
     * line (the file's path) and a button that runs {@code close}. Shared by capture and diff tabs.
     */
    static Node errorPane(String titleText, String why, String detail, Runnable close) {
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
        VBox banner = new VBox(8, title, reason, path, closeButton);
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
        if (profile != null) addViewTab(spec);
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

    /** The node of a view if it was built, else null. */
    public Node viewNode(String id) {
        Tab t = viewTabs.get(id);
        return t == null ? null : t.getContent();
    }

    /** Cancels loading (no effect once loaded). */
    public void cancel() { task.cancel(); }

    public Path file() { return file; }

    /** The loaded profile, or null until {@link State#READY}. */
    public Profile profile() { return profile; }

    /** The load task (for progress in the status bar and for tests). */
    public Task<Profile> loadTask() { return task; }

    /** The message shown when loading failed, else empty. */
    public String error() { return error; }

    public State state() { return state.get(); }

    public ReadOnlyObjectProperty<State> stateProperty() { return state.getReadOnlyProperty(); }
}
