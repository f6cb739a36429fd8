// SPDX-License-Identifier: Apache-2.0
package dev.kiln.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The views' walls (docs/ARCHITECTURE.md): a view paints analysis results of a built model. It never reads a file,
 * so it sees no reader ({@code jfr}, {@code pprof}, {@code formats}), no {@code io} and no {@code capture}; nor the
 * writers of {@code export} and {@code report}, which the shell calls.
 */
@AnalyzeClasses(packages = "dev.kiln.views", importOptions = ImportOption.DoNotIncludeTests.class)
class ViewsLayersTest {
    @ArchTest
    static final ArchRule viewsSeeOnlyAnalysisAndModel = classes().that().resideInAPackage("dev.kiln.views..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.kiln.views..", "dev.kiln.analysis..",
                    "dev.kiln.model..", "dev.kiln.job..", "java..", "javafx..", "org.controlsfx..");

    @ArchTest
    static final ArchRule commonIsTheViewsBase = classes().that().resideInAPackage("dev.kiln.views.common..")
            .should().onlyDependOnClassesThat().resideOutsideOfPackages("dev.kiln.views.alloc..",
                    "dev.kiln.views.diff..", "dev.kiln.views.flame..", "dev.kiln.views.graph..", "dev.kiln.views.locks..",
                    "dev.kiln.views.overview..", "dev.kiln.views.timeline..", "dev.kiln.views.tree..", "dev.kiln.views.jvm..");

    @ArchTest
    static final ArchRule noCyclesBetweenViews = slices().matching("dev.kiln.views.(**)").should().beFreeOfCycles();
}
