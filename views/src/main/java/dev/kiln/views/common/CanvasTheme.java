// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.common;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.WeakChangeListener;

/**
 * Which {@link CanvasPalette} the canvas views paint with: one application-wide property that the app sets when the
 * user switches the theme ({@link #setDark}); painters read {@link #palette()} when they paint, and views
 * {@link #onChange register} to redraw at once. {@link CanvasPalette#LIGHT} until set. FX thread only.
 */
public final class CanvasTheme {
    private static final ObjectProperty<CanvasPalette> CURRENT = new SimpleObjectProperty<>(CanvasTheme.class, "current", CanvasPalette.LIGHT);

    private CanvasTheme() { }

    /** The palette in use; never null (setting null means {@link CanvasPalette#LIGHT}). */
    public static ObjectProperty<CanvasPalette> currentProperty() { return CURRENT; }

    /** The palette to paint with now. */
    public static CanvasPalette palette() {
        CanvasPalette p = CURRENT.get();
        return p == null ? CanvasPalette.LIGHT : p;
    }

    /** Switches to {@link CanvasPalette#DARK} or {@link CanvasPalette#LIGHT}. */
    public static void setDark(boolean dark) { CURRENT.set(dark ? CanvasPalette.DARK : CanvasPalette.LIGHT); }

    /**
     * Runs {@code redraw} whenever the palette changes, for as long as the returned listener is reachable: the
     * property holds it weakly, so a view keeps it in a field and is not kept alive by the theme after it is closed.
     */
    public static ChangeListener<CanvasPalette> onChange(Runnable redraw) {
        ChangeListener<CanvasPalette> l = (o, a, b) -> redraw.run();
        CURRENT.addListener(new WeakChangeListener<>(l));
        return l;
    }
}
