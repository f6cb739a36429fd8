// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.analysis.Filter;
import dev.kiln.model.Profile;
import dev.kiln.views.overview.OverviewView;
import javafx.scene.layout.StackPane;

import java.util.Objects;

/**
 * The Overview as a capture-tab view that follows the capture's time range: whenever the range changes (Shift+drag
 * on the timeline, or its chip's ×), the summary and the findings are recomputed for that part of the recording in
 * a background job ({@link OverviewView.Data#of(Profile, Filter, String)}, with progress and Cancel), and the new
 * Overview names the range in a banner. A computation still running when the range changes again is cancelled.
 */
final class OverviewTab extends StackPane {
    private final Profile profile;
    private final ViewRegistry.ViewContext ctx;
    private BackgroundView<OverviewView.Data> current;

    OverviewTab(Profile profile, ViewRegistry.ViewContext ctx) {
        this.profile = profile;
        this.ctx = ctx;
        show(ctx.filter().get());
        ctx.filter().addListener((o, was, f) -> {
            if (!Objects.equals(ViewRegistry.rangeOf(was), ViewRegistry.rangeOf(f))) show(f);
        });
    }

    private void show(Filter f) {
        if (current != null) current.task().cancel();
        var r = ViewRegistry.rangeOf(f);
        String range = "";
        if (r != null) {
            long origin = profile.startEpochNanos() > 0 && profile.startEpochNanos() <= r.fromNanos() ? profile.startEpochNanos() : 0;
            range = CaptureTab.rangeText(r.fromNanos() - origin, r.toNanos() - origin);
        }
        String banner = range;
        current = new BackgroundView<>(r == null ? "Summarising the capture" : "Summarising " + range.toLowerCase(java.util.Locale.ROOT),
                sink -> OverviewView.Data.of(profile, f, banner), data -> new OverviewView(data, ctx::navigate));
        getChildren().setAll(current);
    }

    /** The Overview shown, or null while it is computed. */
    OverviewView overview() { return current == null ? null : (OverviewView) current.view(); }
}
