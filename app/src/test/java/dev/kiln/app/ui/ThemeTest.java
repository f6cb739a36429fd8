// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import javafx.scene.control.RadioMenuItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.kiln.app.ui.ShellTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** View &gt; Theme (System / Light / Dark): the OS probe's parsers on sample outputs, the stylesheet, the stored choice. */
@ExtendWith(ApplicationExtension.class)
class ThemeTest {
    @TempDir
    Path dir;
    MainWindow window;

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new RecentFiles(dir.resolve("recent.txt")));
        stage.show();
    }

    @Test
    void gnomeOutputs() {
        assertTrue(Themes.parseGnome("'prefer-dark'\n", "'Adwaita'\n"));
        assertFalse(Themes.parseGnome("'default'\n", "'Adwaita'\n"));
        assertFalse(Themes.parseGnome("'prefer-light'\n", ""));
        // Older GNOME without color-scheme: the GTK theme's name says it.
        assertTrue(Themes.parseGnome("", "'Adwaita-dark'\n"));
        assertTrue(Themes.parseGnome("'default'", "'Yaru-Dark'"));
        assertNull(Themes.parseGnome("", ""), "no answer: unknown");
    }

    @Test
    void macAndWindowsOutputs() {
        assertTrue(Themes.parseMac("Dark\n", 0));
        assertFalse(Themes.parseMac("2024-01-01 defaults[123] \nThe domain/default pair of (kCFPreferencesAnyApplication, AppleInterfaceStyle) does not exist\n", 1));
        String dark = "\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize\r\n"
                + "    AppsUseLightTheme    REG_DWORD    0x0\r\n\r\n";
        assertTrue(Themes.parseWindows(dark));
        assertFalse(Themes.parseWindows(dark.replace("0x0", "0x1")));
        assertNull(Themes.parseWindows("ERROR: The system was unable to find the specified registry key or value.\r\n"));
    }

    private boolean darkCss() throws Exception {
        return fx(() -> window.scene().getStylesheets().stream().anyMatch(s -> s.endsWith(MainWindow.DARK_CSS)));
    }

    private void choose(String id) throws Exception {
        fx(() -> {
            RadioMenuItem item = (RadioMenuItem) window.themeMenu().getItems().stream().filter(i -> i.getId().equals(id)).findFirst().orElseThrow();
            item.fire();
            return null;
        });
    }

    @Test
    void menuChoiceAppliesTheStylesheetAndIsStored() throws Exception {
        Path store = dir.resolve("theme.txt");
        fx(() -> { window.setSystemDarkProbe(() -> true); window.useThemeStore(store); return null; });
        assertEquals(Themes.Choice.SYSTEM, fx(window::theme), "no stored choice: follow the OS");
        // The probe (here: "the OS is dark") answers in the background.
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, this::darkCss);

        choose("theme-light");
        assertFalse(darkCss());
        assertEquals("LIGHT", Files.readString(store).strip());
        choose("theme-dark");
        assertTrue(darkCss());
        assertEquals(Themes.Choice.DARK, Themes.load(store));
        assertTrue(fx(() -> ((RadioMenuItem) window.themeMenu().getItems().get(2)).isSelected()), "Dark is ticked");

        // An OS in light mode: choosing System goes light again.
        fx(() -> { window.setSystemDarkProbe(() -> false); return null; });
        choose("theme-system");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !darkCss());
        assertEquals(Themes.Choice.SYSTEM, Themes.load(store));
    }
}
