package dev.sluice.api.ddi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Immutable copies of the DDI documents' maps that keep their order, so answers are stable. */
final class DdiMaps {
  private DdiMaps() {}

  static <V> Map<String, V> ordered(Map<String, V> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
