package dev.sluice.core.manifest;

import java.util.Objects;

/**
 * One problem found in a release manifest: where it is, as an RFC 6901 JSON Pointer ({@code ""} is
 * the whole document), and what is wrong there.
 */
public record Violation(String pointer, String message) {
  public Violation {
    Objects.requireNonNull(pointer, "pointer");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return (pointer.isEmpty() ? "(document)" : pointer) + ": " + message;
  }
}
