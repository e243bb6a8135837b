package dev.sluice.core;

import java.util.List;

/**
 * The root of the domain's exceptions. It is sealed so that the boundary that turns failures into
 * responses (HTTP problem documents, CLI exit codes) handles every kind in one exhaustive switch.
 */
public abstract sealed class SluiceException extends RuntimeException
    permits SluiceException.NotFound,
        SluiceException.Conflict,
        SluiceException.InvalidInput,
        SluiceException.Unauthenticated,
        SluiceException.Forbidden,
        SluiceException.TooLarge,
        SluiceException.Gone {
  private static final long serialVersionUID = 1L;

  private SluiceException(String message, Throwable cause) {
    super(message, cause);
  }

  /** A named thing does not exist (HTTP 404). */
  public static final class NotFound extends SluiceException {
    private static final long serialVersionUID = 1L;
    private final String kind;
    private final String id;

    public NotFound(String kind, String id) {
      super("no " + kind + " '" + id + "'", null);
      this.kind = kind;
      this.id = id;
    }

    public String kind() {
      return kind;
    }

    public String id() {
      return id;
    }
  }

  /** The request is well-formed but conflicts with the current state (HTTP 409). */
  public static final class Conflict extends SluiceException {
    private static final long serialVersionUID = 1L;
    private final ConflictKind conflictKind;

    public Conflict(ConflictKind kind, String message) {
      super(message, null);
      this.conflictKind = kind;
    }

    public ConflictKind conflictKind() {
      return conflictKind;
    }
  }

  /** Why a request conflicts with the current state. */
  public enum ConflictKind {
    ALREADY_EXISTS,
    ILLEGAL_TRANSITION,
    STALE_STATEMENT,
    ALREADY_DECIDED,
    /** Something the operation needs has not been set up yet (e.g. the TUF root). */
    NOT_READY,
    /** What the caller signed is no longer what awaits a signature (fetch it again). */
    STALE_METADATA,
    /** A release's sign-offs do not meet its product's current certification policy. */
    POLICY_NOT_MET,
    /** The policy a proposal was based on has changed since (propose again). */
    STALE_POLICY,
    /** An Idempotency-Key was used before with a different request. */
    IDEMPOTENCY_KEY_REUSED
  }

  /** The request is malformed or violates a rule about its content (HTTP 400). */
  public static final class InvalidInput extends SluiceException {
    private static final long serialVersionUID = 1L;
    private final transient List<Violation> violations;

    public InvalidInput(String message) {
      this(message, List.of(), null);
    }

    public InvalidInput(String message, List<Violation> violations, Throwable cause) {
      super(message, cause);
      this.violations = List.copyOf(violations);
    }

    /** Each problem found, where the input has several (e.g. every schema violation). */
    public List<Violation> violations() {
      return violations;
    }
  }

  /** One problem in an input, located by a JSON pointer or field name. */
  public record Violation(String location, String message) {}

  /** No credential, or one that is not valid (HTTP 401). */
  public static final class Unauthenticated extends SluiceException {
    private static final long serialVersionUID = 1L;

    public Unauthenticated(String message) {
      super(message, null);
    }
  }

  /** The caller is known but may not do this (HTTP 403). */
  public static final class Forbidden extends SluiceException {
    private static final long serialVersionUID = 1L;

    public Forbidden(String message) {
      super(message, null);
    }
  }

  /** The request body is over a size limit (HTTP 413). */
  public static final class TooLarge extends SluiceException {
    private static final long serialVersionUID = 1L;
    private final long limit;

    public TooLarge(String message, long limit) {
      super(message, null);
      this.limit = limit;
    }

    public long limit() {
      return limit;
    }
  }

  /**
   * The thing existed but is no longer active (HTTP 410), e.g. feedback for a device action that
   * has already finished or been cancelled.
   */
  public static final class Gone extends SluiceException {
    private static final long serialVersionUID = 1L;

    public Gone(String message) {
      super(message, null);
    }
  }
}
