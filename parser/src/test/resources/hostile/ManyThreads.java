// SPDX-License-Identifier: Apache-2.0
import java.util.concurrent.Semaphore;

/**
 * Workload for the hostile-input tests: starts {@code args[0]} short-lived threads (at most 64 alive at once),
 * each doing a little arithmetic; every 500th spins for about 15 ms so that execution samples land on many
 * threads. Run under {@code -XX:StartFlightRecording} with ThreadStart/ThreadEnd enabled; prints "done N".
 */
public class ManyThreads {
    static volatile long sink;

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        Semaphore alive = new Semaphore(64);
        for (int i = 0; i < count; i++) {
            alive.acquire();
            boolean slow = i % 500 == 0;
            Thread t = new Thread(() -> {
                try {
                    work(slow ? 15_000_000L : 20_000L);
                } finally {
                    alive.release();
                }
            }, "worker-" + i);
            t.start();
        }
        alive.acquire(64);
        System.out.println("done " + count);
    }

    static void work(long nanos) {
        long end = System.nanoTime() + nanos, x = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) x += i * 31L ^ x;
        }
        sink += x;
    }
}
