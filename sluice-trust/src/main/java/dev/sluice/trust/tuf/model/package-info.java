/**
 * TUF 1.0 metadata as values (TUF 1.0 §4): {@link dev.sluice.trust.tuf.model.Root}, {@link
 * dev.sluice.trust.tuf.model.Targets}, {@link dev.sluice.trust.tuf.model.Snapshot}, {@link
 * dev.sluice.trust.tuf.model.Timestamp} and their parts. Every record is validated in its compact
 * constructor (an invalid value throws {@link IllegalArgumentException}), serialises to its exact
 * TUF JSON, and is parsed strictly through {@link dev.sluice.trust.tuf.model.Metadata#parse}.
 *
 * <p>Deliberate strictness: key ids must be the keys' own ids; a role lists each key id once and
 * only known keys; hashes must include sha256 (other algorithms are not read); delegated role names
 * are file-name safe; target paths are relative without "." or ".." segments; path patterns support
 * {@code *} and {@code ?} but not character classes.
 */
package dev.sluice.trust.tuf.model;
