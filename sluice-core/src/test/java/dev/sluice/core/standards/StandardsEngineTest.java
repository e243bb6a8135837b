package dev.sluice.core.standards;

import static dev.sluice.core.testing.ManifestFixtures.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.standards.CheckReport.Outcome;
import dev.sluice.core.standards.CheckReport.Verdict;
import dev.sluice.core.testing.ManifestFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class StandardsEngineTest {
  private final StandardsEngine engine = new StandardsEngine();

  @Test
  void customStandardThatDoesNotCompileIsRejectedWithItsId() {
    StandardsException e =
        compileFails(standard("fine", "true"), standard("custom-broken", "manifest.version >"));
    assertThat(e.standardIds()).containsExactly("custom-broken");
    assertThat(e.problems().get(0).message()).contains("does not compile");
    assertThat(e.getMessage()).contains("custom-broken");
  }

  @Test
  void everyBrokenStandardIsReportedAtOnce() {
    StandardsException e =
        compileFails(
            standard("undeclared-variable", "releases.size() > 0"),
            standard("unknown-function", "shout(manifest.product)"),
            new Standard("bad-offenders", "t", Severity.ERROR, "true", "m", "manifest.product ++"));
    assertThat(e.standardIds())
        .containsExactly("undeclared-variable", "unknown-function", "bad-offenders");
  }

  @Test
  void expressionThatIsNotABoolIsRejected() {
    StandardsException e = compileFails(standard("counts", "size(manifest.components)"));
    assertThat(e.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.standardId()).isEqualTo("counts");
              assertThat(p.message()).contains("must be a bool").contains("int");
            });
  }

  @Test
  void offendersThatAreNotAListOfStringsAreRejected() {
    StandardsException e =
        compileFails(
            new Standard("n", "t", Severity.ERROR, "true", "m", "size(artifacts)"),
            new Standard("ints", "t", Severity.ERROR, "true", "m", "[1, 2]"));
    assertThat(e.standardIds()).containsExactly("n", "ints");
    assertThat(e.problems().get(1).message()).contains("list of strings");
  }

  @Test
  void evaluationErrorYieldsErrorOutcomeAndBlocksInsteadOfThrowing() {
    CheckReport report =
        evaluate(manifest(), standard("needs-previous", "previous.version == manifest.version"));
    StandardResult r = report.results().get(0);
    assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
    assertThat(r.errorDetail()).contains("version");
    assertThat(r.offenders()).isEmpty();
    assertThat(report.verdict()).isEqualTo(Verdict.BLOCKED);
    assertThat(report.toText()).contains("ERROR").contains("needs-previous");
  }

  @Test
  void evaluationErrorInAWarningDoesNotBlock() {
    Standard warning =
        new Standard("soft", "t", Severity.WARNING, "manifest.no_such_field == 1", "m", null);
    CheckReport report = evaluate(manifest(), warning);
    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.ERROR);
    assertThat(report.verdict()).isEqualTo(Verdict.PASSED);
  }

  @Test
  void invalidVersionPassedToVersionCompareIsAnEvaluationError() {
    CheckReport report = evaluate(manifest(), standard("cmp", "version_compare('x', '1') > 0"));
    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.ERROR);
    assertThat(report.results().get(0).errorDetail()).isNotBlank();
  }

  @Test
  void versionCompareComparesByPrecedence() {
    CheckReport report =
        evaluate(
            manifest().version("14.10.0"),
            standard("a", "version_compare(manifest.version, '14.9') == 1"),
            standard("b", "version_compare('1.2', '1.2.0') == 0"),
            standard("c", "version_compare('1.0.0-rc.1', '1.0.0') == -1"));
    assertThat(report.results()).allMatch(r -> r.outcome() == Outcome.PASS);
  }

  @Test
  void dynamicExpressionThatIsNotABoolIsAnEvaluationError() {
    CheckReport report = evaluate(manifest(), standard("dyn", "manifest.product"));
    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.ERROR);
    assertThat(report.results().get(0).errorDetail()).contains("not a bool");
  }

  @Test
  void runawayComprehensionIsStoppedAsAnError() {
    String expression = "lists.range(2000).all(i, lists.range(2000).all(j, i + j >= 0))";
    CheckReport report = evaluate(manifest(), standard("runaway", expression));
    assertThat(report.results().get(0).outcome()).isEqualTo(Outcome.ERROR);
    assertThat(report.results().get(0).errorDetail()).contains("budget");
  }

  @Test
  void failureWhoseOffendersCannotBeEvaluatedStillFails() {
    Standard s = new Standard("f", "t", Severity.ERROR, "false", "m", "[string(previous.version)]");
    StandardResult r = evaluate(manifest(), s).results().get(0);
    assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    assertThat(r.offenders()).isEmpty();
    assertThat(r.errorDetail()).startsWith("offenders:");
  }

  @Test
  void offendersAreDeduplicatedAndCapped() {
    Standard s =
        new Standard(
            "many",
            "t",
            Severity.ERROR,
            "false",
            "m",
            "lists.range(250).map(i, 'item ' + string(i / 2))");
    StandardResult r = evaluate(manifest(), s).results().get(0);
    assertThat(r.offenders()).hasSize(CompiledStandards.MAX_OFFENDERS + 1);
    assertThat(r.offenders().get(0)).isEqualTo("item 0");
    assertThat(r.offenders().get(1)).isEqualTo("item 1");
    assertThat(r.offenders().getLast()).isEqualTo("... and 25 more");
  }

  @Test
  void controlCharactersFromTheReleaseNeverReachTheReport() {
    // Provenance subject names are third-party text and may hold control characters.
    ManifestFixtures.Builder m = manifest().set("/provenance/subject/0/name", "evil\u001b[2Jname");
    Standard s =
        new Standard(
            "names",
            "t",
            Severity.ERROR,
            "false",
            "m",
            "manifest.provenance.subject.map(s, s.name)");
    StandardResult r = evaluate(m, s).results().get(0);
    assertThat(r.offenders()).contains("evil\uFFFD[2Jname");
    assertThat(String.join("", r.offenders())).doesNotContain("\u001b");
  }

  @Test
  void standardsCanUseMacrosAndExtensions() {
    CheckReport report =
        evaluate(
            manifest(),
            standard("exists-one", "manifest.artifacts.exists_one(a, a.type == 'os-image')"),
            standard("filter", "manifest.components.filter(c, c.license == 'MIT').size() == 0"),
            standard("strings", "manifest.product.upperAscii() == 'ACME-PHONE'"),
            standard("sets", "sets.contains(artifacts.map(u, u.name), ['os.img'])"),
            standard("bind", "cel.bind(n, artifacts.size(), n == 2)"),
            standard("limits", "limits.max_artifact_size == 1024"),
            standard("no-previous", "!has_previous && previous.size() == 0"));
    assertThat(report.results())
        .allSatisfy(r -> assertThat(r.outcome()).as(r.toString()).isEqualTo(Outcome.PASS));
  }

  @Test
  void asSetMakesMembershipChecksOverLargeListsCheap() {
    ManifestFixtures.Builder m = manifest();
    for (int i = 0; i < 3000; i++) {
      m.component("c" + i, "1", "MIT", "h" + i + ".example.com");
      m.capability("c" + i, "network_endpoint", "h" + i + ".example.com", "j");
    }
    CheckReport report =
        evaluate(
            m,
            standard("keys", "as_set(['a', 'b']) == {'a': true, 'b': true}"),
            standard("ints", "2 in as_set([1, 2]) && !(3 in as_set([1, 2]))"),
            standard(
                "large",
                "cel.bind(s, as_set(manifest.capabilities.map(c, c.value)),"
                    + " manifest.components.all(c, !has(c.network_endpoints)"
                    + " || c.network_endpoints.all(e, e in s)))"),
            standard("maps-refused", "as_set([{'a': 1}]).size() == 1"));
    assertThat(report.results().subList(0, 3)).allMatch(r -> r.outcome() == Outcome.PASS);
    assertThat(report.results().get(3).outcome()).isEqualTo(Outcome.ERROR);
  }

  @Test
  void compiledSetsAreCached() {
    StandardsSet set = new StandardsSet("s", 1, List.of(standard("t", "true")));
    assertThat(engine.compile(set)).isSameAs(engine.compile(set));
    assertThat(engine.compile(set).standardsSet()).isEqualTo(set);
  }

  @Test
  void evaluationIsThreadSafe() throws Exception {
    CompiledStandards compiled = engine.compile(DefaultStandards.get());
    ManifestFixtures.Builder good = manifest();
    ManifestFixtures.Builder bad = manifest().undeclaredCapability("linux", "permission", "kexec");
    ReleaseFacts goodFacts = ReleaseFacts.of(good.build(), good.uploaded(), Optional.empty(), 1024);
    ReleaseFacts badFacts = ReleaseFacts.of(bad.build(), bad.uploaded(), Optional.empty(), 1024);
    CheckReport expectedGood = compiled.evaluate(goodFacts);
    CheckReport expectedBad = compiled.evaluate(badFacts);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        boolean even = i % 2 == 0;
        futures.add(
            pool.submit(
                () ->
                    even
                        ? compiled.evaluate(goodFacts).equals(expectedGood)
                        : compiled.evaluate(badFacts).equals(expectedBad)));
      }
      for (Future<Boolean> f : futures) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(expectedGood.verdict()).isEqualTo(Verdict.PASSED);
    assertThat(expectedBad.verdict()).isEqualTo(Verdict.BLOCKED);
  }

  private StandardsException compileFails(Standard... standards) {
    StandardsSet set = new StandardsSet("custom", 1, List.of(standards));
    StandardsException e =
        catchThrowableOfType(StandardsException.class, () -> engine.compile(set));
    assertThat(e).as("compiling should have failed").isNotNull();
    return e;
  }

  private CheckReport evaluate(ManifestFixtures.Builder m, Standard... standards) {
    CompiledStandards compiled = engine.compile(new StandardsSet("custom", 1, List.of(standards)));
    return compiled.evaluate(ReleaseFacts.of(m.build(), m.uploaded(), Optional.empty(), 1024));
  }

  private static Standard standard(String id, String expression) {
    return Standard.of(id, "Title of " + id, Severity.ERROR, expression, "Message of " + id);
  }
}
