// SPDX-License-Identifier: Apache-2.0
import java.util.ArrayList;
import java.util.List;

public class GcMix {
    static volatile Object sink;

    public static void main(String[] args) throws Exception {
        long end = System.currentTimeMillis() + 1200;
        int i = 0;
        while (System.currentTimeMillis() < end) {
            List<byte[]> l = new ArrayList<>();
            for (int k = 0; k < 2000; k++) l.add(new byte[1024 + k]);
            sink = l;
            try { Integer.parseInt("x" + i); } catch (NumberFormatException e) { sink = e; }
            if (++i % 150 == 0) System.gc();
        }
    }
}
