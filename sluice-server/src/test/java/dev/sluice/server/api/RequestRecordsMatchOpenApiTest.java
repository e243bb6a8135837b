package dev.sluice.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.ReasonRequest;
import dev.sluice.api.RequestReader;
import dev.sluice.api.Required;
import dev.sluice.api.WireJson;
import dev.sluice.api.auth.IssueTokenRequest;
import dev.sluice.api.catalog.AddCertifierKeyRequest;
import dev.sluice.api.catalog.CreateProductRequest;
import dev.sluice.api.catalog.ProposePolicyRequest;
import dev.sluice.api.catalog.RegisterCertifierRequest;
import dev.sluice.api.catalog.RevokeCertifierKeyRequest;
import dev.sluice.api.catalog.SignPolicyRequest;
import dev.sluice.api.catalog.UpdateCertifierRequest;
import dev.sluice.api.catalog.UpdateProductRequest;
import dev.sluice.api.ddi.AssignActionRequest;
import dev.sluice.api.ddi.DdiSettingsRequest;
import dev.sluice.api.device.RegisterDeviceRequest;
import dev.sluice.api.device.RotateTokensRequest;
import dev.sluice.api.device.TagDeviceRequest;
import dev.sluice.api.release.SignOffDecisionRequest;
import dev.sluice.api.release.StatusNoteRequest;
import dev.sluice.api.rollout.RolloutRequest;
import dev.sluice.api.tuf.OfflineSignatureRequest;
import dev.sluice.api.tuf.TargetsKeyRequest;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request records of {@code sluice-api} and the OpenAPI document describe the same bodies: the
 * same field names, and every field a record requires is required by the document too.
 */
class RequestRecordsMatchOpenApiTest {
  static Stream<Arguments> bodies() {
    return Stream.of(
        Arguments.of("post", "/api/v1/tokens", IssueTokenRequest.class),
        Arguments.of("post", "/api/v1/certifiers", RegisterCertifierRequest.class),
        Arguments.of("patch", "/api/v1/certifiers/{id}", UpdateCertifierRequest.class),
        Arguments.of("post", "/api/v1/certifiers/{id}/keys", AddCertifierKeyRequest.class),
        Arguments.of(
            "post", "/api/v1/certifiers/{id}/keys/{keyId}/revoke", RevokeCertifierKeyRequest.class),
        Arguments.of("post", "/api/v1/products", CreateProductRequest.class),
        Arguments.of("patch", "/api/v1/products/{name}/settings", UpdateProductRequest.class),
        Arguments.of("post", "/api/v1/products/{name}/policy/pending", ProposePolicyRequest.class),
        Arguments.of(
            "post", "/api/v1/products/{name}/policy/pending/signatures", SignPolicyRequest.class),
        Arguments.of("put", "/api/v1/releases/{id}/status-note", StatusNoteRequest.class),
        Arguments.of("post", "/api/v1/releases/{id}/signoffs", SignOffDecisionRequest.class),
        Arguments.of("post", "/api/v1/releases/{id}/revoke", ReasonRequest.class),
        Arguments.of("post", "/api/v1/rollouts/{id}/cancel", ReasonRequest.class),
        Arguments.of("post", "/api/v1/actions/{id}/cancel", ReasonRequest.class),
        Arguments.of("post", "/api/v1/devices", RegisterDeviceRequest.class),
        Arguments.of("post", "/api/v1/rollouts", RolloutRequest.class),
        Arguments.of("post", "/api/v1/devices/{controllerId}/tags", TagDeviceRequest.class),
        Arguments.of("post", "/api/v1/devices/rotate-tokens", RotateTokensRequest.class),
        Arguments.of("post", "/api/v1/devices/{controllerId}/actions", AssignActionRequest.class),
        Arguments.of("put", "/api/v1/products/{name}/ddi", DdiSettingsRequest.class),
        Arguments.of("put", "/api/v1/tuf/products/{product}/key", TargetsKeyRequest.class),
        Arguments.of(
            "post", "/api/v1/tuf/pending/{product}/signature", OfflineSignatureRequest.class));
  }

  private static JsonNode document() throws Exception {
    try (InputStream in =
        RequestRecordsMatchOpenApiTest.class.getResourceAsStream(
            "/dev/sluice/server/openapi.json")) {
      return WireJson.MAPPER.readTree(in);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("bodies")
  void theRecordAndTheDocumentNameTheSameFields(
      String method, String path, Class<? extends Record> type) throws Exception {
    JsonNode document = document();
    JsonNode schema =
        document
            .path("paths")
            .path(path)
            .path(method)
            .path("requestBody")
            .path("content")
            .path("application/json")
            .path("schema");
    if (schema.has("$ref")) {
      String name = schema.get("$ref").asText().substring("#/components/schemas/".length());
      schema = document.path("components").path("schemas").path(name);
    }
    assertThat(schema.path("properties").isObject()).as(method + " " + path).isTrue();

    Set<String> documented = new HashSet<>();
    schema.path("properties").fieldNames().forEachRemaining(documented::add);
    Set<String> documentedRequired = new HashSet<>();
    schema.path("required").forEach(r -> documentedRequired.add(r.asText()));
    List<String> names = RequestReader.wireNames(type);
    RecordComponent[] components = type.getRecordComponents();
    Set<String> required = new HashSet<>();
    for (int i = 0; i < components.length; i++) {
      if (components[i].isAnnotationPresent(Required.class)) {
        required.add(names.get(i));
      }
    }

    assertThat(new HashSet<>(names)).isEqualTo(documented);
    assertThat(documentedRequired).containsAll(required);
  }
}
