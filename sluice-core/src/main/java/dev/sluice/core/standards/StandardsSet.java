package dev.sluice.core.standards;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A named, versioned list of standards, as a product applies them to its releases. A release's
 * check report names the set and version it was checked against.
 *
 * @param version 1 or more; a changed set gets a new version
 */
public record StandardsSet(String id, int version, List<Standard> standards) {
  public static final int MAX_STANDARDS = 200;

  public StandardsSet {
    Checks.slug(id, "a standards set's id");
    if (version < 1) {
      throw new IllegalArgumentException(
          "the version of standards set " + id + " is 1 or more, got " + version);
    }
    Objects.requireNonNull(standards, "standards");
    standards = List.copyOf(standards);
    if (standards.isEmpty() || standards.size() > MAX_STANDARDS) {
      throw new IllegalArgumentException(
          "standards set "
              + id
              + " has 1 to "
              + MAX_STANDARDS
              + " standards, got "
              + standards.size());
    }
    Set<String> seen = new HashSet<>();
    Set<String> duplicates = new LinkedHashSet<>();
    for (Standard s : standards) {
      if (!seen.add(s.id())) {
        duplicates.add(s.id());
      }
    }
    if (!duplicates.isEmpty()) {
      throw new IllegalArgumentException(
          "standards set " + id + " has duplicate standard ids: " + String.join(", ", duplicates));
    }
  }

  public Optional<Standard> find(String standardId) {
    return standards.stream().filter(s -> s.id().equals(standardId)).findFirst();
  }
}
