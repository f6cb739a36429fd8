// SPDX-License-Identifier: Apache-2.0
package dev.kiln.report;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.jvm.JvmWeights;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.analysis.tree.FlameLayout;
import dev.kiln.export.CollapsedWriter;
import dev.kiln.export.FlamePngWriter;
import dev.kiln.export.FlameSvgWriter;
import dev.kiln.export.PprofWriter;
import dev.kiln.export.SpeedscopeWriter;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every export by its format's name, as {@code kiln export --to} and the app's File > Export offer them: the writers
 * of {@code dev.kiln.export} and the HTML report. Here, above both, so that the CLI and the window share one switch.
 */
public final class Exports {
    /** The formats {@link #write} takes. */
    public static final List<String> FORMATS = List.of("pprof", "collapsed", "speedscope", "svg", "png", "html");

    private Exports() { }

    /** What an export writes when no weight is named: the default weight, and for pprof/speedscope every other too. */
    public static List<Weight> defaultWeights(Profile profile, String format) {
        List<Weight> weights = new ArrayList<>();
        Weight first = Weights.defaultWeight(profile);
        if (first != null) weights.add(first);
        if (format.equals("pprof") || format.equals("speedscope")) {
            for (Weight w : JvmWeights.available(profile)) if (!w.equals(first)) weights.add(w);
        }
        return weights;
    }

    /**
     * Writes one export (the CLI's and the app's File > Export): {@code format} is pprof, collapsed, speedscope,
     * svg, png or html (the report of {@code kiln report}, every weight; the first is shown first); images and
     * collapsed stacks use the first weight. The file is written whole or not at all.
     */
    public static void write(Profile profile, String format, List<Weight> weights, Filter filter, int width, int height,
                             Path target, ProgressSink progress) throws IOException {
        switch (format) {
            case "html" -> HtmlReport.write(profile, weights.isEmpty() ? HtmlReport.Options.DEFAULT
                    : HtmlReport.Options.DEFAULT.withValue(weights.get(0).toString()), target);
            case "pprof" -> PprofWriter.write(profile, weights, filter, target, progress);
            case "speedscope" -> SpeedscopeWriter.write(profile, weights, filter, target, progress);
            default -> {
                CallTree tree = CallTree.build(profile, weights.get(0), filter, CallTree.Options.DEFAULT);
                switch (format) {
                    case "collapsed" -> CollapsedWriter.write(tree, target);
                    case "svg" -> FlameSvgWriter.write(FlameLayout.of(tree), width, target);
                    default -> FlamePngWriter.write(FlameLayout.of(tree), width, height, target);
                }
            }
        }
    }

    /** FILE's base name without its profile extensions, plus the format's extension. */
    public static String defaultName(String source, String format) {
        String base = source.replaceAll("(\\.gz)$", "").replaceAll("\\.(jfr|pb|pprof|prof|txt|json|collapsed)$", "");
        if (base.isEmpty()) base = "profile";
        return base + switch (format) {
            case "pprof" -> ".pb.gz";
            case "collapsed" -> ".collapsed.txt";
            case "speedscope" -> ".speedscope.json";
            default -> "." + format;
        };
    }
}
