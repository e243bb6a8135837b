/**
 * The Update Framework (TUF 1.0.x, https://theupdateframework.github.io/specification/latest/):
 * producing and verifying a TUF repository with consistent snapshots. No I/O: files come from an
 * injected {@link dev.sluice.trust.tuf.RemoteRepository} and trusted state lives in a {@link
 * dev.sluice.trust.tuf.TrustedStore}; time comes from an injected {@link java.time.Clock}.
 *
 * <ul>
 *   <li>Model ({@code tuf.model}): immutable records for root, targets (with delegations), snapshot
 *       and timestamp, and the {@link dev.sluice.trust.tuf.model.Metadata} envelope that signs and
 *       parses them over canonical JSON.
 *   <li>Client: {@link dev.sluice.trust.tuf.TufUpdater} runs the detailed client workflow (§5);
 *       {@link dev.sluice.trust.tuf.TufVerifier} holds its stateless checks (threshold, expiry,
 *       length and hash).
 *   <li>Repository: {@link dev.sluice.trust.tuf.RepositoryBuilder} builds and signs metadata and
 *       root rotations; {@link dev.sluice.trust.tuf.TufLayout} names the files both sides use.
 * </ul>
 *
 * Every verification failure is a {@link dev.sluice.trust.tuf.model.TufException} subclass with
 * typed fields, one per attack: {@link dev.sluice.trust.tuf.SignatureThresholdException} (arbitrary
 * software), {@link dev.sluice.trust.tuf.ExpiredMetadataException} (freeze), {@link
 * dev.sluice.trust.tuf.RollbackException} (rollback), {@link
 * dev.sluice.trust.tuf.BadVersionException} and {@link
 * dev.sluice.trust.tuf.LengthOrHashMismatchException} (mix-and-match, tampering), {@link
 * dev.sluice.trust.tuf.MetadataTooLargeException} (endless data).
 */
package dev.sluice.trust.tuf;
