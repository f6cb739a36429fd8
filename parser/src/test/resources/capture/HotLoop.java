// SPDX-License-Identifier: Apache-2.0
// Test workload for JvmRecorderTest: spins in HotLoop.burn until killed (at most ten minutes).
public class HotLoop {
    static volatile long sink;

    static long burn(long n) {
        long x = n;
        for (int i = 0; i < 2_000_000; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            x ^= x >>> 17;
        }
        return x;
    }

    public static void main(String[] args) {
        System.out.println("ready");
        System.out.flush();
        long end = System.nanoTime() + 600_000_000_000L;
        while (System.nanoTime() < end) sink += burn(sink);
    }
}
