package dev.sluice.api.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** Releases as listed, newest first. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleaseList(List<ReleaseSummary> releases) {
  public ReleaseList {
    releases = releases == null ? List.of() : List.copyOf(releases);
  }
}
