package dev.sluice.api.device;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A device as the management API shows it. Optional members are left out when unknown. Right after
 * a registration it carries the generated target token, shown only then; {@link #toString()} leaves
 * the token out.
 *
 * @param status the DDI status in lowercase: unknown, pending, in_sync, error or decommissioned
 * @param attributes the attributes the device reported, in the server's order
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeviceView(
    String controllerId,
    String product,
    String status,
    List<String> tags,
    Map<String, String> attributes,
    @JsonInclude(JsonInclude.Include.NON_NULL) String installedVersion,
    @JsonInclude(JsonInclude.Include.NON_NULL) String installedRelease,
    String registeredAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String lastSeen,
    @JsonInclude(JsonInclude.Include.NON_NULL) String decommissionedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String token) {
  public DeviceView {
    tags = tags == null ? List.of() : List.copyOf(tags);
    attributes =
        attributes == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
  }

  /** This device as answered to its registration, with the token generated for it. */
  public DeviceView withToken(String generated) {
    return new DeviceView(
        controllerId,
        product,
        status,
        tags,
        attributes,
        installedVersion,
        installedRelease,
        registeredAt,
        lastSeen,
        decommissionedAt,
        generated);
  }

  public Optional<String> installedVersionIfAny() {
    return Optional.ofNullable(installedVersion);
  }

  public Optional<String> installedReleaseIfAny() {
    return Optional.ofNullable(installedRelease);
  }

  public Optional<String> lastSeenIfAny() {
    return Optional.ofNullable(lastSeen);
  }

  /** The generated target token, present only in the answer to a registration. */
  public Optional<String> tokenIfAny() {
    return Optional.ofNullable(token);
  }

  @Override
  public String toString() {
    return "DeviceView[" + controllerId + "]";
  }
}
