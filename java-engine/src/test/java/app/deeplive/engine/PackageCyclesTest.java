package app.deeplive.engine;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages depend on each other one way (frame in → faces → crops → model → blend → frame out, with
 * the session, control and command-line layers on top): no two packages need each other, directly or round about.
 */
class PackageCyclesTest {
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("app.deeplive.engine");

    @Test
    void theEnginesPackagesHaveNoCycles() {
        slices().matching("app.deeplive.engine.(**)").should().beFreeOfCycles().check(ENGINE);
    }
}
