// SPDX-License-Identifier: Apache-2.0
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A small mixed workload for recordings no test was written against (issue 22): allocation with a System.gc() now and
 * then, caught exceptions of three classes and one Error, file writes, reads and forces under ./scratch, a loopback
 * socket echo, a contended monitor, parks and sleeps; runs for the milliseconds given (default 2500).
 */
public class Holdout {
    static volatile Object sink;
    static final Object LOCK = new Object();
    static long shared;

    public static void main(String[] args) throws Exception {
        long end = System.currentTimeMillis() + (args.length > 0 ? Long.parseLong(args[0]) : 2500);
        Path scratch = Files.createDirectories(Path.of("scratch"));
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> new Thread(r, "holdout-worker"));
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread echo = new Thread(() -> echo(server), "holdout-echo");
            echo.setDaemon(true);
            echo.start();
            for (int w = 0; w < 3; w++) pool.submit(() -> contend(end));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                int round = 0;
                while (System.currentTimeMillis() < end) {
                    allocate(round);
                    throwSome(round);
                    if (round % 10 == 0) files(scratch, round);
                    if (round % 5 == 0) ping(s, round);
                    if (++round % 200 == 0) System.gc();
                    if (round % 50 == 0) Thread.sleep(15);
                }
            }
        }
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    static void allocate(int round) {
        List<Object> l = new ArrayList<>();
        for (int k = 0; k < 800; k++) l.add(k % 3 == 0 ? new long[64 + k] : new StringBuilder("r").append(round).append(k));
        sink = l;
    }

    static void throwSome(int round) {
        try { Integer.parseInt("n" + round); } catch (NumberFormatException e) { sink = e; }
        if (round % 3 == 0) try { sink = List.of().get(round); } catch (IndexOutOfBoundsException e) { sink = e; }
        if (round % 7 == 0) try { throw new IllegalStateException("round " + round % 4); } catch (IllegalStateException e) { sink = e; }
        if (round % 97 == 0) try { throw new AssertionError("checked " + round); } catch (AssertionError e) { sink = e; }
    }

    static void files(Path scratch, int round) throws IOException {
        Path f = scratch.resolve("part-" + round % 4 + ".bin");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(new byte[16384 + round % 1000]);
            raf.getFD().sync();
            raf.seek(0);
            raf.read(new byte[8192]);
        }
    }

    static void ping(Socket s, int round) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        byte[] msg = new byte[512 + round % 256];
        out.write(msg);
        int got = 0;
        while (got < msg.length) got += in.read(msg, got, msg.length - got);
    }

    static void echo(ServerSocket server) {
        try (Socket c = server.accept()) {
            byte[] buf = new byte[4096];
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
        } catch (IOException e) {
            sink = e;
        }
    }

    static void contend(long end) {
        while (System.currentTimeMillis() < end) {
            synchronized (LOCK) {
                for (int i = 0; i < 200_000; i++) shared += i ^ shared;
            }
            LockSupport.parkNanos(2_000_000);
        }
    }
}
