package dev.hymba.workbench;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Layering of the GUI: views read run data, never the engine; view models and charts never touch scene graphs. */
class WorkbenchArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.hymba.workbench");

    @Test
    void viewsAndChartsNeverCallTheEngine() {
        noClasses().that().resideInAnyPackage("dev.hymba.workbench.views..", "dev.hymba.workbench.charts..",
                        "dev.hymba.workbench.shell..", "dev.hymba.workbench.export..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.hymba.core.model..", "dev.hymba.core.trace..")
                .because("views read RunData; only the run adapter talks to the engine")
                .check(CLASSES);
    }

    @Test
    void viewModelsAndChartsAreToolkitFree() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel").or().resideInAnyPackage("dev.hymba.workbench.charts..",
                        "dev.hymba.workbench.export..", "dev.hymba.workbench.run..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..", "org.jfree.chart.fx..")
                .because("view models are unit-tested without a toolkit; charts and exports run headless")
                .check(CLASSES);
    }

    @Test
    void libraryCodeDoesNotPrint() {
        noClasses().that().resideOutsideOfPackages("dev.hymba.workbench.cli..").and().doNotHaveSimpleName("Main")
                .and().doNotHaveSimpleName("GuiLauncher")
                .should().accessField(System.class, "out")
                .because("library code logs through SLF4J")
                .check(CLASSES);
    }
}
