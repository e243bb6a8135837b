package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.junit.jupiter.api.Test;

class WireJsonTest {
  record Sample(String manifestSha256, int size) {}

  @Test
  void recordComponentsAreSnakeCaseOnTheWire() throws Exception {
    assertThat(WireJson.MAPPER.writeValueAsString(new Sample("ab", 3)))
        .isEqualTo("{\"manifest_sha256\":\"ab\",\"size\":3}");
    assertThat(WireJson.MAPPER.readValue("{\"manifest_sha256\":\"ab\",\"size\":3}", Sample.class))
        .isEqualTo(new Sample("ab", 3));
  }

  @Test
  void duplicateKeysAreRefused() {
    assertThatThrownBy(() -> WireJson.MAPPER.readTree("{\"a\":1,\"a\":2}"))
        .isInstanceOf(JsonProcessingException.class)
        .hasMessageContaining("Duplicate field 'a'");
  }

  @Test
  void trailingContentIsRefused() {
    assertThatThrownBy(() -> WireJson.MAPPER.readTree("{} []"))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(
            () ->
                WireJson.MAPPER.readValue("{\"size\":1,\"manifest_sha256\":\"x\"} x", Sample.class))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void unknownPropertiesOfARecordAreRefused() {
    assertThatThrownBy(
            () -> WireJson.MAPPER.readValue("{\"size\":1,\"manifest_sha265\":\"x\"}", Sample.class))
        .isInstanceOf(UnrecognizedPropertyException.class);
  }

  @Test
  void aFloatIsNoIntegerAndNullNoNumber() {
    assertThatThrownBy(() -> WireJson.MAPPER.readValue("{\"size\":1.5}", Sample.class))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> WireJson.MAPPER.readValue("{\"size\":null}", Sample.class))
        .isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void commentsAreRefused() {
    assertThatThrownBy(() -> WireJson.MAPPER.readTree("{/* no */}"))
        .isInstanceOf(JsonProcessingException.class);
  }
}
