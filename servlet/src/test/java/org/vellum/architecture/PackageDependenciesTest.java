package org.vellum.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Packages depend one way: api ← engine ← pipeline ← protocols ← servlets and launchers. */
class PackageDependenciesTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.vellum");
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.vellum.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theApiDependsOnNothingOfVellumOutsideIt() {
        classes().that().resideInAPackage("org.vellum.api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("org.vellum.api..", "java..", "org.slf4j..",
                        "org.osgi.annotation..")
                .check(classes);
    }

    @Test
    void theEngineKnowsNoProtocolAndNoServlet() {
        noClasses().that().resideInAnyPackage("org.vellum.image..", "org.vellum.codec..", "org.vellum.pool..",
                        "org.vellum.cache..", "org.vellum.memory..", "org.vellum.source..", "org.vellum.config..")
                .should().dependOnClassesThat().resideInAnyPackage("org.vellum.pipeline..", "org.vellum.protocol..",
                        "org.vellum.http..", "org.vellum.server..", "org.vellum.ops..", "jakarta.servlet..")
                .check(classes);
    }

    /** Health and metrics read the engine's figures; the servlets in http expose them. */
    @Test
    void operationsKnowNoProtocolAndNoServlet() {
        noClasses().that().resideInAPackage("org.vellum.ops..")
                .should().dependOnClassesThat().resideInAnyPackage("org.vellum.pipeline..", "org.vellum.protocol..",
                        "org.vellum.http..", "org.vellum.server..", "jakarta.servlet..")
                .check(classes);
    }

    /** One place knows the metrics library, so replacing it touches one package. */
    @Test
    void onlyOperationsUseMicrometer() {
        noClasses().that().resideOutsideOfPackage("org.vellum.ops..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..")
                .check(classes);
    }

    @Test
    void protocolsKnowNoServlet() {
        noClasses().that().resideInAPackage("org.vellum.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("org.vellum.http..", "org.vellum.server..",
                        "jakarta.servlet..")
                .check(classes);
    }
}
