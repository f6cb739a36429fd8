// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.analysis.findings.Finding;
import dev.kiln.model.Profile;
import dev.kiln.views.flame.FlameGraphView;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.analysis.tree.FlameLayout;
import dev.kiln.export.FlamePngWriter;
import dev.kiln.export.FlameSvgWriter;
import javafx.concurrent.Task;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;

import java.io.File;
import java.nio.file.Path;

import java.util.function.Consumer;

/**
 * The flame graph as a capture-tab view: it loads the profile in the background and answers a finding's link
 * by switching to the finding's weight and searching for its function. It follows the capture's filter and shares
 * its selected function with the other views (see {@link ViewRegistry#syncSelection}).
 */
final class FlameTab extends StackPane implements Consumer<Finding.Link> {
    private final Profile profile;
    private final FlameGraphView view = new FlameGraphView();
    private final Path captureFile; // never written over

    FlameTab(Profile profile, ViewRegistry.ViewContext ctx) {
        this.captureFile = ctx.file();
        this.profile = profile;
        getChildren().add(view);
        view.setFilter(ctx.filter().get()); // before the profile: one background build, already filtered
        view.setProfile(profile);
        ctx.filter().addListener((o, was, f) -> view.setFilter(f));
        ViewRegistry.syncSelection(ctx.selectedFunction(), view.selectedFunctionProperty(), view::selectFunction);
        MenuItem svg = new MenuItem("Save as SVG image...");
        svg.setOnAction(e -> chooseAndSave("svg"));
        MenuItem png = new MenuItem("Save as PNG image...");
        png.setOnAction(e -> chooseAndSave("png"));
        ContextMenu menu = new ContextMenu(svg, png);
        view.setOnContextMenuRequested(e -> menu.show(view, e.getScreenX(), e.getScreenY()));
    }

    private void chooseAndSave(String format) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Save the flame graph as " + format.toUpperCase(java.util.Locale.ROOT));
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(format.toUpperCase(java.util.Locale.ROOT), "*." + format));
        chooser.setInitialFileName(dev.kiln.report.Exports.defaultName(profile.sourceName(), format));
        File target = chooser.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (target != null) saveImage(format, target.toPath());
    }

    /** Writes the flame graph as it is shown (weight, inversion, filters) as an SVG or PNG, in the background. */
    Task<Path> saveImage(String format, Path target) {
        CallTree tree = view.tree();
        if (tree == null) throw new IllegalStateException("the flame graph is still being built");
        int width = Math.max(800, (int) getWidth()), height = Math.max(600, (int) getHeight());
        Path input = captureFile;
        return FxJobs.start("Saving " + target.getFileName(), progress -> {
            if (input != null) dev.kiln.export.AtomicFiles.refuseInputs(target, java.util.List.of(input)); // never over the capture read
            FlameLayout layout = FlameLayout.of(tree);
            if (format.equals("svg")) FlameSvgWriter.write(layout, width, target);
            else FlamePngWriter.write(layout, width, height, target);
            return target;
        });
    }

    FlameGraphView view() { return view; }

    @Override
    public void accept(Finding.Link link) {
        if (link.valueType() != null && !link.valueType().isEmpty()) {
            try {
                view.setWeight(JvmWeights.parse(profile, link.valueType()));
            } catch (IllegalArgumentException ignored) {
                // the finding names a weight this profile does not offer: keep the current one
            }
        }
        if (Finding.Link.FOCUS.equals(link.filter())) view.setSearch(link.value());
    }
}
