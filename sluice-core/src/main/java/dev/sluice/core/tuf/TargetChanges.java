package dev.sluice.core.tuf;

import dev.sluice.trust.tuf.model.TargetFile;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Targets to add (or replace) and to remove, by target path. A path is in at most one of the two.
 */
public record TargetChanges(Map<String, TargetFile> put, Set<String> remove) {
  public TargetChanges {
    put = Map.copyOf(put);
    remove = Set.copyOf(remove);
    for (String path : remove) {
      if (put.containsKey(path)) {
        throw new IllegalArgumentException(path + " is both added and removed");
      }
    }
  }

  /** Adds (or replaces) these targets. */
  public static TargetChanges put(Map<String, TargetFile> files) {
    return new TargetChanges(files, Set.of());
  }

  /** Removes these targets (paths not listed are ignored). */
  public static TargetChanges remove(Set<String> paths) {
    return new TargetChanges(Map.of(), paths);
  }

  /** Every path the change touches, sorted. */
  public Set<String> paths() {
    Set<String> out = new TreeSet<>(put.keySet());
    out.addAll(remove);
    return out;
  }

  /** Applies the change to a map of targets by path. */
  void applyTo(Map<String, TargetFile> files) {
    files.keySet().removeAll(remove);
    files.putAll(new TreeMap<>(put));
  }
}
