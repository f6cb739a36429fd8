// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.capture.PprofFetcher;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.stage.Window;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * File > Open URL: the address of a profile to fetch, typically a Go service's {@code net/http/pprof} endpoint.
 * The Endpoint choice puts one of the standard endpoints into the URL, keeping its host and port. The URL is
 * checked with {@link PprofFetcher#parse} as it is typed ({@code host:port/path} means http); Fetch is enabled only
 * for a valid one. The result is the parsed URL.
 */
public final class OpenUrlDialog extends Dialog<URI> {
    public static final ButtonType FETCH = new ButtonType("Fetch", ButtonBar.ButtonData.OK_DONE);
    /** The suggestion when no URL was fetched before. */
    public static final String SUGGESTED = "http://localhost:6060/debug/pprof/profile?seconds=30";
    /** The standard endpoints of net/http/pprof: path and query after /debug/pprof/, and what they hold. */
    public static final List<String[]> ENDPOINTS = List.of(
            new String[] {"profile?seconds=30", "CPU profile (30 s)"},
            new String[] {"heap", "heap: live memory"},
            new String[] {"allocs", "allocs: all allocations"},
            new String[] {"block", "block: time blocked"},
            new String[] {"mutex", "mutex: lock contention"},
            new String[] {"goroutine", "goroutine: stacks by count"},
            new String[] {"goroutine?debug=2", "goroutine?debug=2: every goroutine, with states"});

    final TextField url = new TextField();
    final ComboBox<String> endpoint = new ComboBox<>();
    final Label problem = new Label();

    /** {@code initial} is the last URL fetched (or null for {@link #SUGGESTED}); files go to {@code capturesDir}. */
    public OpenUrlDialog(Window owner, String initial, Path capturesDir) {
        if (owner != null) initOwner(owner);
        setTitle("Open URL");
        setHeaderText("Fetch a profile over HTTP, e.g. from a Go program with net/http/pprof");
        setResizable(true);
        getDialogPane().getButtonTypes().addAll(FETCH, ButtonType.CANCEL);
        url.setId("open-url");
        url.setPrefColumnCount(44);
        url.setText(initial == null || initial.isBlank() ? SUGGESTED : initial);
        endpoint.setId("open-url-endpoint");
        for (String[] e : ENDPOINTS) endpoint.getItems().add(e[1]);
        endpoint.setPromptText("Choose a standard endpoint");
        endpoint.setOnAction(e -> {
            int i = endpoint.getSelectionModel().getSelectedIndex();
            if (i >= 0) url.setText(withEndpoint(url.getText(), ENDPOINTS.get(i)[0]));
        });
        problem.setId("open-url-problem");
        problem.getStyleClass().add("muted");
        problem.setWrapText(true);
        Label saved = new Label("Saved to " + capturesDir + ", then opened; fetching the same URL again offers a comparison.");
        saved.getStyleClass().add("muted");
        saved.setWrapText(true);

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.setPadding(new Insets(10));
        grid.add(new Label("URL"), 0, 0);
        grid.add(url, 1, 0);
        grid.add(new Label("Endpoint"), 0, 1);
        grid.add(endpoint, 1, 1);
        grid.add(problem, 1, 2);
        grid.add(saved, 1, 3);
        GridPane.setHgrow(url, Priority.ALWAYS);
        saved.setMaxWidth(560);
        getDialogPane().setContent(grid);
        url.textProperty().addListener((o, was, now) -> validate());
        setResultConverter(b -> b == FETCH ? parsed() : null);
        validate();
        javafx.application.Platform.runLater(url::requestFocus);
    }

    /** {@code url} with its path and query replaced by {@code /debug/pprof/ENDPOINT} (host and port kept). */
    static String withEndpoint(String url, String endpoint) {
        String hostPart = "http://localhost:6060";
        try {
            URI u = PprofFetcher.parse(url);
            hostPart = u.getScheme() + "://" + u.getRawAuthority();
        } catch (IllegalArgumentException ignored) {
            // keep the default host
        }
        return hostPart + "/debug/pprof/" + endpoint;
    }

    private URI parsed() {
        try {
            return PprofFetcher.parse(url.getText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void validate() {
        String why = "";
        if (url.getText().isBlank()) why = "Type the URL of a profile.";
        else {
            try {
                PprofFetcher.parse(url.getText());
            } catch (IllegalArgumentException e) {
                why = e.getMessage();
            }
        }
        problem.setText(why);
        problem.setVisible(!why.isEmpty());
        problem.setManaged(!why.isEmpty());
        getDialogPane().lookupButton(FETCH).setDisable(!why.isEmpty());
    }

    /** The Fetch button (for tests). */
    javafx.scene.control.Button fetchButton() { return (javafx.scene.control.Button) getDialogPane().lookupButton(FETCH); }
}
