// SPDX-License-Identifier: Apache-2.0
import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Long safepoints for the safepoints page and the long-safepoint finding: heap dumps of a heap of small objects (a VM
 * operation at a safepoint that walks every object), stack dumps of 400 threads parked deep in recursion, a thread in a
 * counted loop with no safepoint poll (run with -XX:-UseCountedLoopSafepoints: a long time to safepoint), and 20
 * class loaders that are loaded, dropped and unloaded (jdk.ClassLoad / ClassUnload).
 */
public class Safepoints {
    static volatile Object sink;
    static volatile long spin;

    static final class Node { Node next; long value; Node(Node next, long value) { this.next = next; this.value = value; } }

    public static void main(String[] args) throws Exception {
        Node head = null;
        for (long i = 0; i < 3_000_000; i++) head = new Node(head, i);
        sink = head;

        CountDownLatch parked = new CountDownLatch(400), done = new CountDownLatch(1);
        for (int t = 0; t < 400; t++) {
            Thread th = new Thread(() -> deep(60, parked, done), "deep-" + t);
            th.setDaemon(true);
            th.start();
        }
        parked.await();
        for (int i = 0; i < 5; i++) sink = Thread.getAllStackTraces();

        Path dir = Path.of(Safepoints.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        for (int i = 0; i < 20; i++) {
            try (URLClassLoader l = new URLClassLoader("payload-" + i, new URL[]{dir.toUri().toURL()}, null)) {
                sink = l.loadClass("Safepoints$Node").getDeclaredConstructors();
            }
        }
        sink = null;
        sink = head;
        System.gc();

        Thread spinner = new Thread(Safepoints::spin, "spinner");
        spinner.setDaemon(true);
        spinner.start();
        HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        for (int i = 0; i < 2; i++) {
            Path dump = Files.createTempFile("safepoints", ".hprof");
            Files.delete(dump);
            hs.dumpHeap(dump.toString(), true);
            Files.delete(dump);
            Thread.sleep(300);
        }
        done.countDown();
    }

    static void deep(int depth, CountDownLatch parked, CountDownLatch done) {
        if (depth > 0) { deep(depth - 1, parked, done); return; }
        parked.countDown();
        try { done.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    }

    /** Counted loops without a safepoint poll: a safepoint waits for one to end. */
    static void spin() {
        int[] a = new int[1024];
        for (int round = 0; ; round++) {
            long acc = 0;
            for (int i = 0; i < 400_000_000; i++) acc += a[i & 1023] ^ i;
            spin = acc + round;
        }
    }
}
