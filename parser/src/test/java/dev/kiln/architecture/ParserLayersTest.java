// SPDX-License-Identifier: Apache-2.0
package dev.kiln.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.kiln.analysis.findings.JmcRules;

import java.util.Arrays;
import java.util.stream.Stream;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers of {@code parser/} as rules (docs/ARCHITECTURE.md draws them), checked on the main classes:
 * <pre>
 *   capture ──► io ──► readers (jfr, pprof, gotrace, formats) ──► model, job
 *   report ──► export ──► analysis ──────────────────────► model, job
 * </pre>
 * Each package names everything it may use, third-party libraries included, so a new import across a wall fails
 * here with the offending class and line.
 */
@AnalyzeClasses(packages = "dev.kiln", importOptions = ImportOption.DoNotIncludeTests.class)
class ParserLayersTest {
    private static final String MODEL = "dev.kiln.model..", JOB = "dev.kiln.job..", JAVA = "java..";
    private static final String[] READERS = {"dev.kiln.jfr..", "dev.kiln.pprof..", "dev.kiln.gotrace..", "dev.kiln.formats.."};
    private static final String JMC = "org.openjdk.jmc..", PROTOBUF = "com.google.protobuf..",
            JACKSON = "com.fasterxml.jackson..";

    /** Classes of {@code pkg} depend only on {@code pkg} itself, the JDK's {@code java..} and {@code allowed}. */
    private static ArchRule only(String pkg, String... allowed) {
        String[] all = Stream.concat(Stream.of(pkg, JAVA), Arrays.stream(allowed)).toArray(String[]::new);
        return classes().that().resideInAPackage(pkg).should().onlyDependOnClassesThat().resideInAnyPackage(all);
    }

    private static String[] with(String[] a, String... b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
    }

    @ArchTest
    static final ArchRule jobIsTheBase = only(JOB);

    @ArchTest
    static final ArchRule modelDependsOnNoOtherKilnPackage = only(MODEL);

    @ArchTest
    static final ArchRule jfrReaderUsesModelAndJmc = only("dev.kiln.jfr..", MODEL, JOB, JMC);

    @ArchTest
    static final ArchRule pprofReaderUsesModelAndProtobuf = only("dev.kiln.pprof..", MODEL, JOB, PROTOBUF);

    @ArchTest
    static final ArchRule goTraceReaderUsesModelOnly = only("dev.kiln.gotrace..", MODEL, JOB);

    @ArchTest
    static final ArchRule textFormatReadersUseModelAndJackson = only("dev.kiln.formats..", MODEL, JOB, JACKSON);

    @ArchTest
    static final ArchRule ioDispatchesToReaders = only("dev.kiln.io..", with(READERS, MODEL, JOB));

    /** JMC appears in analysis only in {@link JmcRules}, which the next rule confines. */
    @ArchTest
    static final ArchRule analysisSeesOnlyTheModel = only("dev.kiln.analysis..", MODEL, JOB, JMC);

    @ArchTest
    static final ArchRule exportWritesFromAnalysisAndModel =
            only("dev.kiln.export..", "dev.kiln.analysis..", MODEL, JOB, PROTOBUF, JACKSON, "javax.imageio..");

    @ArchTest
    static final ArchRule reportBuildsOnExportAndAnalysis =
            only("dev.kiln.report..", "dev.kiln.export..", "dev.kiln.analysis..", MODEL, JOB, JACKSON);

    @ArchTest
    static final ArchRule captureLoadsThroughIo = only("dev.kiln.capture..", "dev.kiln.io..", MODEL, JOB);

    @ArchTest
    static final ArchRule jmcOnlyInTheJfrReaderAndJmcRules = noClasses()
            .that().resideOutsideOfPackage("dev.kiln.jfr..").and(not(belongToAnyOf(JmcRules.class)))
            .should().dependOnClassesThat().resideInAPackage(JMC);

    @ArchTest
    static final ArchRule noJavaFx = noClasses().should().dependOnClassesThat().resideInAPackage("javafx..");

    @ArchTest
    static final ArchRule noBenchmarkInTheProduct = noClasses().should().resideInAPackage("dev.kiln.bench..")
            .orShould().haveSimpleNameEndingWith("Benchmark");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.kiln.(**)").should().beFreeOfCycles();
}
