// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.analysis.Weights;
import dev.kiln.analysis.findings.Finding;
import dev.kiln.model.Profile;
import dev.kiln.views.flame.FlameGraphView;
import javafx.scene.layout.StackPane;

import java.util.function.Consumer;

/**
 * The flame graph as a capture-tab view: it loads the profile in the background and answers a finding's link
 * by switching to the finding's weight and searching for its function.
 */
final class FlameTab extends StackPane implements Consumer<Finding.Link> {
    private final Profile profile;
    private final FlameGraphView view = new FlameGraphView();

    FlameTab(Profile profile) {
        this.profile = profile;
        getChildren().add(view);
        view.setProfile(profile);
    }

    FlameGraphView view() { return view; }

    @Override
    public void accept(Finding.Link link) {
        if (link.valueType() != null && !link.valueType().isEmpty()) {
            try {
                view.setWeight(Weights.parse(profile, link.valueType()));
            } catch (IllegalArgumentException ignored) {
                // the finding names a weight this profile does not offer: keep the current one
            }
        }
        if (Finding.Link.FOCUS.equals(link.filter())) view.setSearch(link.value());
    }
}
