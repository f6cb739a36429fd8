// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.timeline;

import java.util.Comparator;

/**
 * Names in the order people count: runs of digits compare by their number, so {@code G2} comes before {@code G18}
 * and {@code pool-1-thread-9} before {@code pool-1-thread-10}; the rest compares as text, case first ignored.
 */
public final class NaturalOrder implements Comparator<String> {
    public static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() { }

    @Override
    public int compare(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i), y = b.charAt(j);
            if (isDigit(x) && isDigit(y)) {
                int ei = i, ej = j;
                while (ei < a.length() && isDigit(a.charAt(ei))) ei++;
                while (ej < b.length() && isDigit(b.charAt(ej))) ej++;
                // the numbers without their leading zeros: the longer is the larger, else digit by digit
                int si = i, sj = j;
                while (si < ei - 1 && a.charAt(si) == '0') si++;
                while (sj < ej - 1 && b.charAt(sj) == '0') sj++;
                int c = Integer.compare(ei - si, ej - sj);
                for (int k = 0; c == 0 && k < ei - si; k++) c = Character.compare(a.charAt(si + k), b.charAt(sj + k));
                if (c != 0) return c;
                i = ei;
                j = ej;
            } else {
                int c = Character.compare(Character.toLowerCase(x), Character.toLowerCase(y));
                if (c != 0) return c;
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }
}
