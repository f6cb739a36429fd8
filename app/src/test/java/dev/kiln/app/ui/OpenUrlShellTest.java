// SPDX-License-Identifier: Apache-2.0
package dev.kiln.app.ui;

import dev.kiln.analysis.diff.Diff;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.testutil.CaptureTargets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.kiln.app.ui.ShellTest.all;
import static dev.kiln.app.ui.ShellTest.awaitFx;
import static dev.kiln.app.ui.ShellTest.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File > Open URL against a real Go program serving net/http/pprof on 127.0.0.1 ({@code capture/main.go.txt}: three
 * goroutines parked in {@code main.park}), headless: a goroutine dump opens with the program's function, a refused
 * port shows the error banner and the app stays usable, two fetches of the same URL offer their diff. Needs
 * {@code go}: fails in CI without it, skipped elsewhere ({@code ExternalTools}).
 */
@ExtendWith(ApplicationExtension.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class OpenUrlShellTest {
    /** The Go program starts three goroutines in main.park. */
    static final long PARKED = 3;
    @TempDir
    static Path workDir;
    static CaptureTargets.Target server;

    @TempDir
    Path dir;
    MainWindow window;

    @BeforeAll
    static void startServer() throws Exception {
        server = CaptureTargets.startGoPprof(workDir);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    @Start
    void start(Stage stage) {
        window = new MainWindow(stage, new RecentFiles(dir.resolve("recent.txt")));
        window.setCapturesDir(dir.resolve("captures"));
        stage.show();
    }

    private CaptureTab awaitCapture(int count) throws Exception {
        awaitFx(() -> window.captureTabs().size() == count && window.captureTabs().get(count - 1).state() != CaptureTab.State.LOADING);
        CaptureTab tab = fx(() -> window.captureTabs().get(count - 1));
        assertEquals(CaptureTab.State.READY, fx(tab::state), fx(tab::error));
        return tab;
    }

    /** Goroutines in main.park according to the capture's flame graph (goroutine/count). */
    private static long parked(CaptureTab tab) throws Exception {
        assertTrue(fx(() -> tab.selectView("flame")));
        awaitFx(() -> tab.viewNode("flame") instanceof FlameTab f && f.view().tree() != null);
        CallTree tree = fx(() -> ((FlameTab) tab.viewNode("flame")).view().tree());
        long total = 0;
        for (int n = 1; n < tree.size(); n++) if (tree.name(n).equals("main.park")) total += tree.total(n);
        return total;
    }

    @Test
    void goroutineDumpOpensWithTheProgramsFunction() throws Exception {
        OpenUrlDialog d = fx(window::showOpenUrlDialog);
        assertEquals(OpenUrlDialog.SUGGESTED, fx(d.url::getText));
        // The endpoint choice keeps host and port; a URL that is not http(s) disables Fetch and says why.
        fx(() -> { d.url.setText(server.baseUrl() + "/debug/pprof/heap"); return null; });
        fx(() -> { d.endpoint.getSelectionModel().select(OpenUrlDialog.ENDPOINTS.size() - 1); d.endpoint.getOnAction().handle(null); return null; });
        assertEquals(server.baseUrl() + "/debug/pprof/goroutine?debug=2", fx(d.url::getText));
        fx(() -> { d.url.setText("ftp://127.0.0.1/x"); return null; });
        assertTrue(fx(() -> d.fetchButton().isDisabled()));
        assertTrue(fx(d.problem::getText).contains("only http and https"), fx(d.problem::getText));
        String url = server.baseUrl().substring("http://".length()) + "/debug/pprof/goroutine?debug=2"; // http:// is assumed
        fx(() -> { d.url.setText(url); return null; });
        assertFalse(fx(() -> d.fetchButton().isDisabled()));
        fx(() -> { d.fetchButton().fire(); return null; });

        CaptureTab tab = awaitCapture(1);
        assertEquals(window.capturesDir(), tab.file().getParent());
        assertTrue(tab.file().getFileName().toString().startsWith("goroutine-127.0.0.1-") && tab.file().toString().endsWith(".txt"), tab.file().toString());
        assertTrue(Files.size(tab.file()) > 0);
        assertEquals(PARKED, parked(tab));
        // The next Open URL starts from the last URL.
        OpenUrlDialog again = fx(window::showOpenUrlDialog);
        assertEquals("http://" + url, fx(again.url::getText));
        fx(() -> { again.close(); return null; });
    }

    @Test
    void aRefusedPortShowsTheErrorBannerAndTheAppStaysUsable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI refused = URI.create("http://127.0.0.1:" + port + "/debug/pprof/heap");
        AcquireTab failed = fx(() -> window.fetch(refused));
        awaitFx(() -> failed.state() != CaptureTab.State.LOADING);
        assertEquals(CaptureTab.State.FAILED, fx(failed::state));
        assertTrue(fx(failed::error).startsWith("Could not fetch " + refused + ": connection refused"), fx(failed::error));
        assertTrue(fx(() -> all(failed.getContent()).stream().anyMatch(n -> n.getStyleClass().contains("load-error"))), "the error banner");
        assertTrue(fx(() -> all(failed.getContent()).stream().anyMatch(n -> n instanceof Label l && l.getText().startsWith("Connection refused"))));
        assertTrue(fx(window::statusMessage).contains("connection refused"), fx(window::statusMessage));
        if (Files.exists(window.capturesDir())) {
            try (var files = Files.list(window.capturesDir())) {
                assertFalse(files.findAny().isPresent(), "nothing saved");
            }
        }

        // Still usable: the next fetch works, and the failed tab closes with its button.
        fx(() -> window.fetch(URI.create(server.baseUrl() + "/debug/pprof/goroutine?debug=2")));
        assertEquals(PARKED, parked(awaitCapture(1)));
        Button close = fx(() -> (Button) all(failed.getContent()).stream().filter(n -> n instanceof Button b && b.getText().equals("Close tab")).findFirst().orElseThrow());
        fx(() -> { close.fire(); return null; });
        assertTrue(fx(() -> window.acquireTabs().isEmpty()));
    }

    @Test
    void twoFetchesOfTheSameUrlOfferTheirDiff() throws Exception {
        URI url = URI.create(server.baseUrl() + "/debug/pprof/goroutine?debug=2");
        fx(() -> window.fetch(url));
        CaptureTab first = awaitCapture(1);
        // Another URL in between is another target: it offers nothing and does not break the pair.
        fx(() -> window.fetch(URI.create(server.baseUrl() + "/debug/pprof/goroutine")));
        CaptureTab other = awaitCapture(2);
        assertTrue(fx(() -> other.notices().isEmpty()));
        fx(() -> window.fetch(url));
        CaptureTab second = awaitCapture(3);
        assertTrue(fx(() -> first.notices().isEmpty()));
        assertFalse(first.file().equals(second.file()), "the second fetch is saved next to the first, not over it");
        Node compare = fx(() -> second.notices().isEmpty() ? null : second.notices().get(0).lookup("#compare-previous"));
        assertNotNull(compare, "the comparison with the previous capture of the URL is offered");
        fx(() -> { ((Button) compare).fire(); return null; });
        DiffTab diff = fx(() -> window.diffTabs().get(0));
        awaitFx(() -> diff.state() != CaptureTab.State.LOADING);
        assertEquals(CaptureTab.State.READY, fx(diff::state), fx(diff::error));
        assertEquals(first.file(), diff.base());
        assertEquals(second.file(), diff.target());
        Diff.FunctionDelta park = fx(() -> diff.view().diff().function("main.park"));
        assertNotNull(park);
        assertEquals(PARKED, park.total().base());
        assertEquals(PARKED, park.total().target());
    }
}
