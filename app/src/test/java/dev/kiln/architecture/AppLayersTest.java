// SPDX-License-Identifier: Apache-2.0
package dev.kiln.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shell's walls and the whole product's (docs/ARCHITECTURE.md): the CLI ({@code dev.kiln.app}) runs without
 * JavaFX, the window ({@code dev.kiln.app.ui}) is started by it and uses the engine directly, never the CLI's
 * commands, and no package of parser, views and app forms a cycle with another.
 */
@AnalyzeClasses(packages = "dev.kiln", importOptions = ImportOption.DoNotIncludeTests.class)
class AppLayersTest {
    @ArchTest
    static final ArchRule cliRunsWithoutJavaFx = noClasses().that().resideInAPackage("dev.kiln.app")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "dev.kiln.views..");

    @ArchTest
    static final ArchRule windowDoesNotCallTheCli = noClasses().that().resideInAPackage("dev.kiln.app.ui..")
            .should().dependOnClassesThat().resideInAPackage("dev.kiln.app");

    @ArchTest
    static final ArchRule noPackageCyclesInTheProduct = slices().matching("dev.kiln.(**)").should().beFreeOfCycles();
}
