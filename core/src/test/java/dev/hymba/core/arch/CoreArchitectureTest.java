package dev.hymba.core.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS;

/** Layering rules: the engine stays free of any GUI toolkit and prints nothing itself. */
class CoreArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.hymba.core");

    @Test
    void coreNeverTouchesJavaFxChartsOrAwt() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.jfree..", "org.controlsfx..", "java.awt..", "javax.swing..")
                .because("core is the headless engine shared by the GUI, the CLI and plugins")
                .check(CORE);
    }

    @Test
    void coreNeverDependsOnTheWorkbenchOrPlugins() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.hymba.workbench..", "dev.hymba.plugins..")
                .check(CORE);
    }

    @Test
    void coreLogsInsteadOfPrinting() {
        NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.because("library code logs through SLF4J").check(CORE);
    }
}
