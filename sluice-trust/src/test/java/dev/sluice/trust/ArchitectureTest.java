package dev.sluice.trust;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The shape of the sluice-trust module's code, checked on every build. */
@AnalyzeClasses(packages = "dev.sluice.trust", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** No two packages depend on each other, directly or around a loop. */
  @ArchTest
  static final ArchRule packagesAreFreeOfCycles =
      slices().matching("dev.sluice.(**)").should().beFreeOfCycles();

  /** Nor do features (a package with its subpackages). */
  @ArchTest
  static final ArchRule featuresAreFreeOfCycles =
      slices().matching("dev.sluice.trust.(*)..").should().beFreeOfCycles();
}
