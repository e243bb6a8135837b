package dev.sluice.trust.tuf.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The {@code signed} part of TUF metadata (TUF 1.0 §4.3): what a role's keys sign. Every
 * implementation is an immutable, validated record whose {@link #toJson()} is its exact TUF form.
 */
public sealed interface Signed permits Root, Targets, Snapshot, Timestamp {
  /** The spec version this library writes. */
  String SPEC_VERSION = "1.0.31";

  /** The {@code _type}. */
  RoleType type();

  /** The {@code spec_version}, always 1.x.y. */
  String specVersion();

  /** The {@code version}, always greater than 0. */
  long version();

  /** The {@code expires} instant, whole seconds. */
  Instant expires();

  /** A fresh JSON tree of this object in TUF form. */
  ObjectNode toJson();

  /**
   * Whether the metadata has expired at {@code now}: TUF 1.0 §5 requires the expiry to be strictly
   * later than the update start time, so metadata expiring exactly at {@code now} has expired.
   */
  default boolean isExpired(Instant now) {
    return !expires().isAfter(now);
  }
}
