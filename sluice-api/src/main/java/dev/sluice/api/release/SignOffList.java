package dev.sluice.api.release;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** A release's sign-offs, oldest first. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SignOffList(List<SignOffView> signoffs) {
  public SignOffList {
    signoffs = signoffs == null ? List.of() : List.copyOf(signoffs);
  }
}
