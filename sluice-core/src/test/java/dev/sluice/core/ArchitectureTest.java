package dev.sluice.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The shape of the sluice-core module's code, checked on every build. */
@AnalyzeClasses(packages = "dev.sluice.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** No two packages depend on each other, directly or around a loop. */
  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().matching("dev.sluice.(**)").should().beFreeOfCycles();

  /** Nor do features (a package with its subpackages). */
  @ArchTest
  static final ArchRule featuresAreFreeOfCycles =
      slices().matching("dev.sluice.core.(*)..").should().beFreeOfCycles();

  /** Domain code speaks neither HTTP nor SQL: persistence is behind its features' ports. */
  @ArchTest
  static final ArchRule domainCodeUsesNoHttpNorSql =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.undertow..", "org.jdbi..", "java.sql..", "javax.sql..", "java.net.http..");

  /**
   * Services depend on the narrow ports of their feature; only the store and the server see the hub
   * of all repositories ({@code port}).
   */
  @ArchTest
  static final ArchRule onlyTheHubItselfNamesTheHub =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.sluice.core.port")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.sluice.core.port");
}
