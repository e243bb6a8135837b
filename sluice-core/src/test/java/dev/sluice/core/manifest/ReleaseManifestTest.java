package dev.sluice.core.manifest;

import static dev.sluice.core.testing.ManifestFixtures.artifact;
import static dev.sluice.core.testing.ManifestFixtures.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.testing.ManifestFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReleaseManifestTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  // --- what is accepted ---

  @Test
  void acceptsTheDocumentedExample() throws IOException {
    ReleaseManifest m = ReleaseManifest.parse(exampleBytes());
    assertThat(m.product()).isEqualTo("acme-phone");
    assertThat(m.version()).isEqualTo(Version.parse("14.2.0"));
    assertThat(m.securityPatchLevel()).isEqualTo(LocalDate.of(2026, 3, 5));
    assertThat(m.artifactNames())
        .containsExactly("acme-phone-14.2.0.img", "bootloader-2026.03.bin");
    assertThat(m.hasSbom()).isTrue();
    assertThat(m.hasProvenance()).isTrue();
  }

  @Test
  void theExampleInTheDocsIsTheTestedExample() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "manifest.md"));
    Matcher block = Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL).matcher(doc);
    assertThat(block.find()).as("docs/manifest.md has a ```json example").isTrue();
    assertThat(JSON.readTree(block.group(1))).isEqualTo(JSON.readTree(exampleBytes()));
  }

  @Test
  void acceptsGeneratedVariants() {
    List<ManifestFixtures.Builder> variants =
        List.of(
            manifest(),
            manifest().withoutSbom().withoutProvenance(),
            manifest().withoutComponents(),
            manifest().version("1").securityPatchLevel("2024-02-29"),
            manifest().version("2026.11.0-rc.1+build.7"),
            manifest().product("a").artifacts(artifact("x")),
            manifest().component("no-version-or-license", null, null),
            manifest().component("lib@scope/pkg", "1.0", "(MIT OR Apache-2.0) AND LicenseRef-acme"),
            manifest()
                .component(
                    "net",
                    "1",
                    "MIT",
                    "example.com",
                    "*.example.com",
                    "example.com:8443",
                    "[2001:db8::1]:443",
                    "https://example.com/path?q=1",
                    "10.0.0.1"),
            manifest().remove("/changes/fixes").remove("/artifacts/0/type"),
            manifest().set("/components/0/purl", "pkg:generic/linux@6.6.58"),
            manifest().set("/sbom/metadata", JSON.createObjectNode().put("float", 1.5)),
            manifest().set("/provenance/predicate/score", 0.25),
            manifest().set("/changes/capabilities_removed/-", removedCapability()),
            manifest().set("/artifacts/0/size", 9007199254740991L));
    for (ManifestFixtures.Builder variant : variants) {
      ReleaseManifest m = variant.build();
      assertThat(m.json().toString()).isEqualTo(variant.json().toString());
    }
  }

  @Test
  void acceptsSqlAndMarkupMetacharactersAsPlainData() {
    String summary = "'; DROP TABLE releases; -- \" <script>alert(1)</script> $(rm -rf /) `x` %00";
    ReleaseManifest m = manifest().summary(summary).build();
    assertThat(m.json().at("/changes/summary").textValue()).isEqualTo(summary);
  }

  @Test
  void acceptsNonAsciiText() {
    ReleaseManifest m =
        manifest().summary("Überarbeitete Oberfläche, 修复, emoji \uD83D\uDE80").build();
    assertThat(m.json().at("/changes/summary").textValue()).contains("修复");
  }

  @Test
  void jsonIsACopyThatCannotChangeTheManifest() {
    ReleaseManifest m = manifest().build();
    ObjectNode copy = m.json();
    copy.put("product", "changed");
    assertThat(m.json().get("product").textValue()).isEqualTo("acme-phone");
    assertThat(m.product()).isEqualTo("acme-phone");
  }

  @Test
  void rawBytesAreExactlyTheUploadAndACopy() throws IOException {
    byte[] upload = exampleBytes();
    ReleaseManifest m = ReleaseManifest.parse(upload);
    byte[] raw = m.rawBytes();
    assertThat(raw).isEqualTo(upload);
    raw[0] = 'x';
    upload[1] = 'y';
    assertThat(m.rawBytes()).isEqualTo(exampleBytes());
  }

  @Test
  void fromJsonValidatesLikeParse() {
    ObjectNode json = manifest().json();
    assertThat(ReleaseManifest.fromJson(json)).isEqualTo(ReleaseManifest.parse(bytes(json)));
    json.remove("product");
    assertThat(violations(() -> ReleaseManifest.fromJson(json)))
        .extracting(Violation::pointer)
        .containsExactly("/product");
  }

  @Test
  void theShippedSchemaIsDraft202012() {
    assertThat(ReleaseManifest.schema().get("$schema").textValue())
        .isEqualTo("https://json-schema.org/draft/2020-12/schema");
  }

  // --- what is refused, and where the problem is reported ---

  @Test
  void missingFieldIsReportedAtItsPointer() {
    assertThat(violations(manifest().remove("/changes/summary")))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.pointer()).isEqualTo("/changes/summary");
              assertThat(v.message()).contains("required");
            });
  }

  @Test
  void wrongTypeIsReportedAtItsPointer() {
    assertThat(violations(manifest().set("/version", 14)))
        .extracting(Violation::pointer)
        .containsExactly("/version");
    assertThat(violations(manifest().set("/artifacts/0/size", "12")))
        .extracting(Violation::pointer)
        .containsExactly("/artifacts/0/size");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Acme", "acme_phone", "-acme", "acme phone", "acme/phone"})
  void badProductSlugIsRefused(String product) {
    assertThat(violations(manifest().product(product)))
        .extracting(Violation::pointer)
        .containsExactly("/product");
  }

  @Test
  void productSlugLongerThan63CharactersIsRefused() {
    assertThat(violations(manifest().product("a".repeat(64))))
        .extracting(Violation::pointer)
        .contains("/product");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "14.02",
        "v14",
        "14.2.0-",
        "1.1234567890.1234567890.1234567890.1234567890.1234567890.12345678"
      })
  void badVersionIsRefused(String version) {
    assertThat(violations(manifest().version(version)))
        .extracting(Violation::pointer)
        .contains("/version");
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-13-01", "2026-02-30", "2025-02-29", "26-01-01", "2026-1-5"})
  void badSecurityPatchLevelIsRefused(String date) {
    assertThat(violations(manifest().securityPatchLevel(date)))
        .extracting(Violation::pointer)
        .containsExactly("/security_patch_level");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "../x",
        "..",
        "a..b",
        "/etc/passwd",
        "dir/os.img",
        ".hidden",
        "os img",
        "os.img\\x",
        ""
      })
  void pathTraversalAndUnsafeArtifactNamesAreRefused(String name) {
    assertThat(violations(manifest().set("/artifacts/0/name", name)))
        .extracting(Violation::pointer)
        .containsOnly("/artifacts/0/name");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "os.img\u0000",
        "os\u0007.img",
        "os.img\n",
        "os.img\r",
        "os.img\u001b[2J",
        "os.img\u0085",
        "os.img\u2028"
      })
  void controlCharactersInArtifactNamesAreRefused(String name) {
    assertThat(violations(manifest().set("/artifacts/0/name", name)))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.pointer()).isEqualTo("/artifacts/0/name");
              assertThat(v.message()).contains("control characters");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/changes/summary",
        "/capabilities/0/justification",
        "/capabilities/0/value",
        "/components/0/version",
        "/product",
        "/version"
      })
  void controlCharactersInTextFieldsAreRefused(String pointer) {
    ObjectNode json = manifest().json();
    String original = json.at(pointer).textValue();
    ManifestFixtures.Builder withEscape = manifest().set(pointer, original + "\u001b[31m red");
    ManifestFixtures.Builder withNewline = manifest().set(pointer, original + "\n");
    for (ManifestFixtures.Builder b : List.of(withEscape, withNewline)) {
      assertThat(violations(b))
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.pointer()).isEqualTo(pointer);
                assertThat(v.message()).contains("control characters");
              });
    }
  }

  @Test
  void controlCharactersInsideTheSbomAreKeptAsData() {
    ReleaseManifest m = manifest().set("/sbom/description", "line one\nline two").build();
    assertThat(m.json().at("/sbom/description").textValue()).contains("\n");
  }

  @Test
  void aTopLevelKeyThatMerelyStartsLikeSbomGetsNoLeeway() {
    assertThat(violations(manifest().set("/sbomx", "a\nb")))
        .extracting(Violation::message)
        .anyMatch(m -> m.contains("control characters"))
        .anyMatch(m -> m.contains("not defined"));
  }

  @Test
  void unpairedSurrogateIsRefusedEvenInsideTheSbom() {
    byte[] json =
        new String(manifest().bytes(), StandardCharsets.UTF_8)
            .replace("\"bomFormat\"", "\"note\":\"\\ud800\",\"bomFormat\"")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(violations(() -> ReleaseManifest.parse(json)))
        .extracting(Violation::pointer)
        .containsExactly("/sbom/note");
  }

  @Test
  void unknownFieldIsReportedAtItsOwnPointer() {
    assertThat(violations(manifest().set("/extra", true)))
        .extracting(Violation::pointer)
        .containsExactly("/extra");
    assertThat(violations(manifest().set("/artifacts/0/url", "https://x")))
        .extracting(Violation::pointer)
        .containsExactly("/artifacts/0/url");
  }

  @Test
  void fractionalNumberIsRefusedOutsideSbomAndProvenance() {
    byte[] json =
        new String(manifest().bytes(), StandardCharsets.UTF_8)
            .replaceFirst("\"size\":(\\d+)", "\"size\":$1.0")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(violations(() -> ReleaseManifest.parse(json)))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.pointer()).isEqualTo("/artifacts/0/size");
              assertThat(v.message()).contains("integer");
            });
  }

  @Test
  void negativeOrHugeSizeIsRefused() {
    assertThat(violations(manifest().set("/artifacts/0/size", -1)))
        .extracting(Violation::pointer)
        .containsExactly("/artifacts/0/size");
    assertThat(
            violations(
                manifest().set("/artifacts/0/size", new java.math.BigInteger("9007199254740992"))))
        .extracting(Violation::pointer)
        .containsExactly("/artifacts/0/size");
  }

  @Test
  void uppercaseOrShortDigestIsRefused() {
    String hex = manifest().json().at("/artifacts/0/sha256").textValue();
    assertThat(violations(manifest().set("/artifacts/0/sha256", hex.toUpperCase())))
        .extracting(Violation::pointer)
        .containsExactly("/artifacts/0/sha256");
    assertThat(violations(manifest().set("/artifacts/0/sha256", hex.substring(1))))
        .extracting(Violation::pointer)
        .containsExactly("/artifacts/0/sha256");
  }

  @Test
  void manifestWithoutArtifactsIsRefused() {
    assertThat(violations(manifest().set("/artifacts", JSON.createArrayNode())))
        .extracting(Violation::pointer)
        .containsExactly("/artifacts");
  }

  @Test
  void duplicateArtifactOrComponentNamesAreRefused() {
    ObjectNode json = manifest().json();
    assertThat(violations(manifest().set("/artifacts/-", json.at("/artifacts/0"))))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.pointer()).isEqualTo("/artifacts/2/name");
              assertThat(v.message()).contains("duplicate").contains("/artifacts/0");
            });
    assertThat(violations(manifest().component("linux", "1", "MIT")))
        .extracting(Violation::pointer)
        .containsExactly("/components/2/name");
  }

  @Test
  void unknownCapabilityKindIsRefused() {
    assertThat(violations(manifest().set("/capabilities/0/kind", "root_shell")))
        .extracting(Violation::pointer)
        .containsExactly("/capabilities/0/kind");
  }

  @Test
  void malformedSbomAndProvenanceAreRefused() {
    assertThat(violations(manifest().set("/sbom/bomFormat", "SPDX")))
        .extracting(Violation::pointer)
        .containsExactly("/sbom/bomFormat");
    assertThat(violations(manifest().remove("/sbom/components/0/name")))
        .extracting(Violation::pointer)
        .containsExactly("/sbom/components/0/name");
    assertThat(violations(manifest().set("/provenance/_type", "https://in-toto.io/Statement/v0.1")))
        .extracting(Violation::pointer)
        .containsExactly("/provenance/_type");
    assertThat(violations(manifest().remove("/provenance/subject/0/digest/sha256")))
        .extracting(Violation::pointer)
        .containsExactly("/provenance/subject/0/digest/sha256");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    List<Violation> all =
        violations(
            manifest()
                .product("Bad Product")
                .set("/artifacts/0/name", "../escape")
                .remove("/changes/summary")
                .set("/capabilities/0/kind", "nope"));
    assertThat(all)
        .extracting(Violation::pointer)
        .containsOnly("/product", "/artifacts/0/name", "/changes/summary", "/capabilities/0/kind");
  }

  @Test
  void oversizeManifestIsRefusedBeforeParsing() {
    byte[] huge = new byte[ReleaseManifest.MAX_BYTES + 1];
    Arrays.fill(huge, (byte) ' ');
    ManifestTooLargeException e =
        catchThrowableOfType(ManifestTooLargeException.class, () -> ReleaseManifest.parse(huge));
    assertThat(e.tooLarge()).isTrue();
    assertThat(e.limit()).isEqualTo(4L * 1024 * 1024);
    assertThat(e.size()).isEqualTo(huge.length);
    assertThat(e.getMessage()).contains("4194304");
  }

  @Test
  void manifestOfExactlyTheLimitIsParsed() {
    byte[] json = manifest().bytes();
    byte[] padded = Arrays.copyOf(json, ReleaseManifest.MAX_BYTES);
    Arrays.fill(padded, json.length, padded.length, (byte) ' ');
    assertThat(ReleaseManifest.parse(padded).product()).isEqualTo("acme-phone");
  }

  @Test
  void duplicateKeysAreRefused() {
    String json =
        new String(manifest().bytes(), StandardCharsets.UTF_8)
            .replace(
                "\"product\":\"acme-phone\"", "\"product\":\"acme-phone\",\"product\":\"evil\"");
    List<Violation> found = violations(() -> ReleaseManifest.parse(utf8(json)));
    assertThat(found)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.pointer()).isEqualTo("/product");
              assertThat(v.message()).contains("Duplicate");
            });
  }

  @Test
  void duplicateKeysDeepInsideTheSbomAreRefused() {
    String json =
        new String(manifest().bytes(), StandardCharsets.UTF_8)
            .replace(
                "\"bomFormat\":\"CycloneDX\"", "\"bomFormat\":\"CycloneDX\",\"bomFormat\":\"x\"");
    assertThat(violations(() -> ReleaseManifest.parse(utf8(json))))
        .extracting(Violation::pointer)
        .containsExactly("/sbom/bomFormat");
  }

  @ParameterizedTest
  @ValueSource(strings = {" {}", "x", "\n[]", " // comment", "{}"})
  void trailingContentIsRefused(String trailer) {
    String json = new String(manifest().bytes(), StandardCharsets.UTF_8) + trailer;
    assertThat(violations(() -> ReleaseManifest.parse(utf8(json))))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("not valid JSON"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "{\"schema\": \"sluice.release-manifest/v1\", ",
        "{'product': 'x'}",
        "{/* c */}",
        "{\"a\": NaN}",
        "{\"a\": 1,}"
      })
  void malformedJsonIsRefused(String json) {
    assertThat(violations(() -> ReleaseManifest.parse(utf8(json)))).hasSize(1);
  }

  @Test
  void invalidUtf8IsRefused() {
    byte[] json = manifest().bytes();
    byte[] broken = Arrays.copyOf(json, json.length);
    int at = new String(json, StandardCharsets.UTF_8).indexOf("Monthly");
    broken[at] = (byte) 0xC3; // a lead byte followed by ASCII
    assertThat(violations(() -> ReleaseManifest.parse(broken))).hasSize(1);
  }

  @Test
  void nonObjectDocumentIsRefused() {
    assertThat(violations(() -> ReleaseManifest.parse(utf8("[1, 2]"))))
        .extracting(Violation::pointer)
        .containsExactly("");
  }

  @Test
  void excessiveNestingIsRefused() {
    String deep = "[".repeat(200) + "]".repeat(200);
    String json =
        new String(manifest().bytes(), StandardCharsets.UTF_8)
            .replace("\"bomFormat\"", "\"deep\":" + deep + ",\"bomFormat\"");
    assertThat(violations(() -> ReleaseManifest.parse(utf8(json))))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("nesting"));
  }

  @Test
  void aFloodOfProblemsIsCappedInTheReport() {
    ManifestFixtures.Builder b = manifest().set("/changes/fixes", JSON.createArrayNode());
    for (int i = 0; i < 150; i++) {
      b.set("/changes/fixes/-", "bad\u0007" + i);
    }
    List<Violation> found = violations(b);
    assertThat(found).hasSize(ReleaseManifest.MAX_REPORTED_VIOLATIONS + 1);
    assertThat(found.getLast().message()).contains("50 more");
  }

  @Test
  void exceptionMessageSummarisesTheFirstProblem() {
    ManifestException e =
        catchThrowableOfType(ManifestException.class, () -> manifest().product("X").build());
    assertThat(e.tooLarge()).isFalse();
    assertThat(e.getMessage()).contains("/product");
  }

  // --- format versions (issue 10, item 8) ---

  @Test
  void everyArtifactMustDeclareItsDigestAndSize() {
    ObjectNode json = manifest().json();
    ObjectNode artifact = (ObjectNode) json.get("artifacts").get(0);
    artifact.remove("sha256");
    artifact.remove("size");
    List<Violation> violations = violations(() -> ReleaseManifest.fromJson(json));
    assertThat(violations)
        .extracting(Violation::pointer)
        .contains("/artifacts/0/sha256", "/artifacts/0/size");
  }

  @Test
  void aVersion1ManifestIsRefusedWithWhatToAdd() {
    ObjectNode json = manifest().json();
    json.put("schema", ReleaseManifest.FORMAT_V1);
    ((ObjectNode) json.get("artifacts").get(0)).remove("sha256");
    ManifestException e =
        catchThrowableOfType(ManifestException.class, () -> ReleaseManifest.fromJson(json));
    assertThat(e.getMessage())
        .contains("sluice.release-manifest/v1 is no longer accepted")
        .contains("sluice.release-manifest/v2")
        .contains("\"sha256\"")
        .contains("\"size\"");
    assertThat(e.violations())
        .extracting(Violation::pointer)
        .containsExactly("/schema", "/artifacts/0/sha256");
  }

  @Test
  void aVersion1ManifestAnEarlierSluiceStoredIsStillRead() throws Exception {
    ObjectNode json = manifest().json();
    json.put("schema", ReleaseManifest.FORMAT_V1);
    ObjectNode artifact = (ObjectNode) json.get("artifacts").get(0);
    artifact.remove("sha256");
    artifact.remove("size");
    String name = artifact.get("name").asText();
    ReleaseManifest stored = ReleaseManifest.stored(JSON.writeValueAsBytes(json));
    assertThat(stored.format()).isEqualTo(ReleaseManifest.FORMAT_V1);
    assertThat(stored.declared(name).orElseThrow().sha256()).isEmpty();
    assertThat(stored.declared(name).orElseThrow().declaredSize()).isEmpty();
  }

  @Test
  void theDeclaredDigestAndSizeAreRead() {
    ObjectNode json = manifest().json();
    JsonNode artifact = json.get("artifacts").get(0);
    ReleaseManifest parsed = ReleaseManifest.fromJson(json);
    ReleaseManifest.Declared declared =
        parsed.declared(artifact.get("name").asText()).orElseThrow();
    assertThat(declared.sha256().orElseThrow().hex()).isEqualTo(artifact.get("sha256").asText());
    assertThat(declared.declaredSize().getAsLong()).isEqualTo(artifact.get("size").asLong());
    assertThat(parsed.declared("not-declared.img")).isEmpty();
  }

  // --- ExampleManifests ---

  @Test
  void exampleManifestsAreValid() {
    var artifacts = List.of(artifact("system.img"), artifact("boot.img"));
    ReleaseManifest byContent =
        ReleaseManifest.fromJson(ExampleManifests.valid("demo", Version.parse("1.0.0"), artifacts));
    assertThat(byContent.artifactNames()).containsExactly("system.img", "boot.img");
    assertThat(byContent.hasProvenance()).isTrue();
    assertThat(byContent.format()).isEqualTo(ReleaseManifest.FORMAT);
    ReleaseManifest breaking =
        ReleaseManifest.fromJson(
            ExampleManifests.breaking("demo", Version.parse("1.0.1"), List.of(artifact("a.img"))));
    assertThat(breaking.json().at("/components/1/network_endpoints").toString())
        .contains(ExampleManifests.UNDECLARED_ENDPOINT);
  }

  // --- helpers ---

  private static ObjectNode removedCapability() {
    return JSON.createObjectNode()
        .put("component", "linux")
        .put("kind", "permission")
        .put("value", "kexec");
  }

  private static List<Violation> violations(ManifestFixtures.Builder builder) {
    byte[] json = builder.bytes();
    return violations(() -> ReleaseManifest.parse(json));
  }

  private static List<Violation> violations(Runnable parse) {
    ManifestException e = catchThrowableOfType(ManifestException.class, parse::run);
    assertThat(e).as("the manifest should have been refused").isNotNull();
    assertThat(e.violations()).isNotEmpty();
    return e.violations();
  }

  private static byte[] exampleBytes() throws IOException {
    try (InputStream in = ReleaseManifestTest.class.getResourceAsStream("example-manifest.json")) {
      return in.readAllBytes();
    }
  }

  private static byte[] bytes(JsonNode json) {
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
