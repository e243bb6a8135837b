package dev.sluice.api.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * One page of releases, newest first.
 *
 * @param next the cursor of the following page ({@code ?after=}); absent on the last page
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleaseList(
    List<ReleaseSummary> releases, @JsonInclude(JsonInclude.Include.NON_NULL) String next) {
  public ReleaseList {
    releases = releases == null ? List.of() : List.copyOf(releases);
  }

  public ReleaseList(List<ReleaseSummary> releases) {
    this(releases, null);
  }

  public Optional<String> nextIfAny() {
    return Optional.ofNullable(next);
  }
}
