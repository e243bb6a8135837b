package dev.sluice.api;

import java.util.Objects;

/**
 * One problem of a request body: where it is (a JSON pointer such as {@code /endorsement/key_id},
 * or {@code ""} for the body as a whole) and what is wrong ({@code "is required"}).
 */
public record WireViolation(String location, String message) {
  public WireViolation {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
  }

  /** The field's name as a person reads it: {@code endorsement.key_id}, or "the body". */
  public String field() {
    return location.isEmpty() ? "the body" : location.substring(1).replace('/', '.');
  }

  /** The sentence for a problem's detail: {@code endorsement.key_id is required}. */
  public String sentence() {
    return field() + " " + message;
  }
}
