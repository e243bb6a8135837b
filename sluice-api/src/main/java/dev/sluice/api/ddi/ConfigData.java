package dev.sluice.api.ddi;

import java.util.Map;

/**
 * {@code PUT .../configData}: device attributes, {@code merge}d into (or {@code replace} those)
 * known.
 */
public record ConfigData(String mode, Map<String, String> data) {
  public ConfigData {
    data = Map.copyOf(data);
  }
}
