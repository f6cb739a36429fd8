// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the window shows while no capture is open, as when Kiln starts without a file: how to open one's own capture
 * (File &gt; Open, a drop anywhere on the window, the recent files listed here, a URL or a running JVM) and the
 * bundled sample one click away. Rebuilt by {@link #show} whenever it appears, so the recent files are current.
 */
final class WelcomePane extends StackPane {
    /** What the welcome page's buttons do. */
    interface Actions {
        void open();

        void openSample();

        void openUrl();

        void record();

        void openRecent(Path file);
    }

    private final Actions actions;

    WelcomePane(Actions actions) {
        this.actions = actions;
        setId("welcome");
        getStyleClass().add("welcome");
    }

    /** Fills the page with the current recent files (newest first, at most eight). */
    void show(List<Path> recent, boolean hasSample) {
        Label title = new Label("Welcome to Kiln");
        title.setStyle("-fx-font-size: 1.8em; -fx-font-weight: bold;");
        Label what = new Label("A profile analyzer for JFR recordings, Go pprof profiles and Go execution traces.");
        what.getStyleClass().add("muted");
        Label how = new Label("Open your capture with File > Open (Ctrl+O), or drop one or more files anywhere on this window "
                + "(two files open their diff).");
        how.setWrapText(true);
        Button open = new Button("Open a capture...");
        open.setId("welcome-open");
        open.setDefaultButton(true);
        open.setOnAction(e -> actions.open());
        Button sample = new Button("Open the sample capture");
        sample.setId("welcome-sample");
        sample.setOnAction(e -> actions.openSample());
        sample.setVisible(hasSample);
        sample.setManaged(hasSample);
        Button url = new Button("Open URL...");
        url.setOnAction(e -> actions.openUrl());
        Button record = new Button("Record a running JVM...");
        record.setOnAction(e -> actions.record());
        HBox buttons = new HBox(8, open, sample, url, record);
        VBox box = new VBox(12, title, what, how, buttons);
        if (hasSample) {
            Label sampleNote = new Label("The sample is a JDK 17 recording of a mixed workload (CPU, locks, allocations, "
                    + "sleeping and I/O threads): a quick way to see every view.");
            sampleNote.setWrapText(true);
            sampleNote.getStyleClass().add("muted");
            box.getChildren().add(sampleNote);
        }
        if (!recent.isEmpty()) {
            Label heading = new Label("Recent files");
            heading.setStyle("-fx-font-weight: bold; -fx-padding: 10 0 0 0;");
            box.getChildren().add(heading);
            for (Path p : recent.subList(0, Math.min(8, recent.size()))) {
                Hyperlink link = new Hyperlink(p.getFileName() + "   " + (p.getParent() == null ? "" : p.getParent()));
                link.setMnemonicParsing(false);
                link.getStyleClass().add("welcome-recent");
                link.setOnAction(e -> actions.openRecent(p));
                box.getChildren().add(link);
            }
        }
        box.setMaxWidth(760);
        box.setMaxHeight(VBox.USE_PREF_SIZE);
        box.getStyleClass().add("welcome-box");
        box.setStyle("-fx-padding: 28;");
        setAlignment(Pos.CENTER);
        getChildren().setAll(box);
    }
}
