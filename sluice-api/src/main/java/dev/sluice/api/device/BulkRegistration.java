package dev.sluice.api.device;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/** The answer to a bulk registration: every registered device, with its generated token if any. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BulkRegistration(int count, List<Registered> devices) {
  public BulkRegistration {
    devices = devices == null ? List.of() : List.copyOf(devices);
  }

  /** One registered device; {@link #toString()} leaves the token out. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Registered(
      String controllerId, @JsonInclude(JsonInclude.Include.NON_NULL) String token) {
    public Optional<String> tokenIfAny() {
      return Optional.ofNullable(token);
    }

    @Override
    public String toString() {
      return "Registered[" + controllerId + "]";
    }
  }
}
