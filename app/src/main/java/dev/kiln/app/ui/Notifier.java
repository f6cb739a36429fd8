// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import javafx.geometry.Pos;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Tells the user that something finished or needs a look, with a ControlsFX {@link Notifications} popup in the
 * window's bottom-right corner that hides itself after a few seconds: an export written, a diff ready, a recording
 * saved while the user looks at another tab, and non-fatal warnings (a capture read only in part, an export that
 * failed). Fatal errors are not notified: the tab concerned says them. FX thread only.
 */
final class Notifier {
    /** How long a notification stays. */
    static final Duration SHOWN_FOR = Duration.seconds(6);

    /** One notification: its title, text and whether it is a warning. */
    record Note(String title, String text, boolean warning) { }

    private final Window owner;
    private final BooleanSupplier dark;
    private final List<Note> shown = new ArrayList<>();

    Notifier(Window owner, BooleanSupplier dark) {
        this.owner = owner;
        this.dark = dark;
    }

    /** Something finished: {@code title} in bold, {@code text} below. */
    void info(String title, String text) { show(new Note(title, text, false)); }

    /** Something went wrong but nothing is lost, or the data has a limit the user should know of. */
    void warning(String title, String text) { show(new Note(title, text, true)); }

    private void show(Note n) {
        shown.add(n);
        if (owner == null || !owner.isShowing()) return;
        Notifications popup = Notifications.create().owner(owner).title(n.title()).text(n.text())
                .position(Pos.BOTTOM_RIGHT).hideAfter(SHOWN_FOR).styleClass("kiln-notification");
        if (dark.getAsBoolean()) popup.darkStyle();
        if (n.warning()) popup.showWarning();
        else popup.showInformation();
    }

    /** Every notification of this window, oldest first (for tests). */
    List<Note> shown() { return List.copyOf(shown); }
}
