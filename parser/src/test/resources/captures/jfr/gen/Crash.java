// A JVM that records with JFR, works for two seconds and then crashes (a write to address 0 through Unsafe), so that
// the JVM's emergency dump writes what the recording held to hs_err_pid<pid>.jfr.
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

public class Crash {
    static volatile Object sink;

    static long work(long n) {
        long x = 0;
        for (long i = 0; i < n; i++) x += Long.numberOfTrailingZeros(i * 0x9E3779B97F4A7C15L + x);
        return x;
    }

    public static void main(String[] args) throws Exception {
        Object lock = new Object();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread th = new Thread(() -> {
                while (true) {
                    synchronized (lock) { sink = work(200_000); }
                    sink = new byte[64 * 1024];
                }
            }, "worker-" + t);
            th.setDaemon(true);
            th.start();
            threads.add(th);
        }
        Thread.sleep(Long.parseLong(args.length > 0 ? args[0] : "2000"));
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        ((sun.misc.Unsafe) f.get(null)).putAddress(0, 42);
    }
}
