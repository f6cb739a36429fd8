// SPDX-License-Identifier: Apache-2.0
package dev.kiln.views.common;

import dev.kiln.analysis.tree.CallTree;

import java.util.function.ToDoubleFunction;

/**
 * Shortens labels to a pixel width. Qualified names lose their package first
 * ({@code java.util.HashMap.get} becomes {@code HashMap.get}; lambda class numbers are folded as
 * {@link CallTree#foldLambdaName} does), then outer classes
 * ({@code Outer$Inner.m} becomes {@code Inner.m}), then everything but the method ({@code m}), and finally
 * characters at the end, marked by an ellipsis ({@code met…}). The result always measures at most the given
 * width.
 */
public final class TextFit {
    /** The ellipsis character appended to a shortened label. */
    public static final String ELLIPSIS = "\u2026";
    /** Fewest characters (before the ellipsis) worth drawing; narrower boxes get no label. */
    public static final int MIN_CHARS = 2;

    private TextFit() { }

    /**
     * The longest form of {@code text} no wider than {@code maxWidth} under {@code measure}: the text itself,
     * without its package, without outer classes, the method alone, or a prefix of the method plus
     * {@link #ELLIPSIS}; null when fewer than {@link #MIN_CHARS} characters would remain.
     */
    public static String fit(String text, double maxWidth, ToDoubleFunction<String> measure) {
        if (text.isEmpty() || maxWidth <= 0) return null;
        if (measure.applyAsDouble(text) <= maxWidth) return text;
        String s = withoutPackage(CallTree.foldLambdaName(text));
        if (s.length() < text.length() && measure.applyAsDouble(s) <= maxWidth) return s;
        String inner = withoutOuterClass(s);
        if (inner.length() < s.length() && measure.applyAsDouble(inner) <= maxWidth) return inner;
        int dot = inner.lastIndexOf('.');
        if (dot >= 0 && dot < inner.length() - 1) {
            s = inner.substring(dot + 1);
            if (measure.applyAsDouble(s) <= maxWidth) return s;
        } else {
            s = inner;
        }
        // Binary search for the longest prefix that fits with the ellipsis.
        int lo = 0, hi = s.length() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (measure.applyAsDouble(s.substring(0, mid) + ELLIPSIS) <= maxWidth) lo = mid; else hi = mid - 1;
        }
        return lo < Math.min(MIN_CHARS, s.length()) ? null : s.substring(0, lo) + ELLIPSIS;
    }

    /** {@code Outer$Inner.m} as {@code Inner.m}; lambda ({@code $$Lambda}) and numbered
     * ({@code $1}) classes are kept. */
    public static String withoutOuterClass(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0) return name;
        int dollar = name.lastIndexOf('$', dot - 1);
        if (dollar <= 0 || dollar + 1 >= dot || name.charAt(dollar - 1) == '$'
                || !Character.isJavaIdentifierStart(name.charAt(dollar + 1))) return name;
        return name.substring(dollar + 1);
    }

    /**
     * A qualified Java or Go name without its package path: everything up to the last {@code .} or {@code /}
     * before the class (the first segment starting with an upper-case letter) or, if there is none, before
     * the last segment; {@code a.b.C$D.m} becomes {@code C$D.m}, {@code net/http.(*conn).serve} becomes
     * {@code http.(*conn).serve}. Names without separators are returned unchanged.
     */
    public static String withoutPackage(String name) {
        int paren = name.indexOf('(');
        int limit = paren < 0 ? name.length() : paren;
        int slash = name.lastIndexOf('/', limit - 1);
        int start = slash + 1;
        // Java: the first segment after start that begins with an upper-case letter.
        int seg = start;
        while (seg < limit) {
            if (Character.isUpperCase(name.charAt(seg))) return name.substring(seg);
            int dot = name.indexOf('.', seg);
            if (dot < 0 || dot >= limit) break;
            seg = dot + 1;
        }
        if (slash >= 0) return name.substring(start);
        // No class segment: keep the last two segments (type.method or package.func).
        int last = name.lastIndexOf('.', limit - 1);
        if (last <= 0) return name;
        int prev = name.lastIndexOf('.', last - 1);
        return prev < 0 ? name : name.substring(prev + 1);
    }
}
