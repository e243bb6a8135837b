/**
 * The transparency log, as pure functions and values: no I/O, no storage, no clock.
 *
 * <ul>
 *   <li>Merkle tree (RFC 9162 §2.1): {@link dev.sluice.trust.tlog.MerkleHash}, {@link
 *       dev.sluice.trust.tlog.MerkleTree}, proofs generated from a {@link
 *       dev.sluice.trust.tlog.HashReader} and verified by {@link
 *       dev.sluice.trust.tlog.InclusionProofs} and {@link dev.sluice.trust.tlog.ConsistencyProofs}.
 *       Verification returns nothing and throws a {@link dev.sluice.trust.tlog.TlogException}.
 *   <li>Checkpoints (C2SP tlog-checkpoint): {@link dev.sluice.trust.tlog.Checkpoint}.
 *   <li>Signed notes (C2SP signed-note) with Ed25519: {@link dev.sluice.trust.tlog.NoteSigner},
 *       {@link dev.sluice.trust.tlog.NoteVerifier}, {@link dev.sluice.trust.tlog.SignedNote}.
 *   <li>Tiles (C2SP tlog-tiles): {@link dev.sluice.trust.tlog.Tiles}, {@link
 *       dev.sluice.trust.tlog.HashTiles}, {@link dev.sluice.trust.tlog.EntryBundles}, {@link
 *       dev.sluice.trust.tlog.TileHashReader} and {@link dev.sluice.trust.tlog.TileAudit}.
 * </ul>
 *
 * <h2>Adding witness cosignatures (C2SP tlog-cosignature)</h2>
 *
 * A cosignature is just another signature line on the checkpoint note, with its own signature type
 * byte (0x04 for Ed25519 cosignatures, 0x06 for ML-DSA-44) and a different signed message, so it
 * slots in beside the log's own signature without touching {@link
 * dev.sluice.trust.tlog.SignedNote}:
 *
 * <ol>
 *   <li>Add a {@code CosignatureVerifier implements NoteVerifier}. Its key ID is {@code
 *       SHA-256(name || 0x0A || 0x04 || public key)[:4]}, so it claims only cosignature lines. Its
 *       {@code verify(noteText, signature)} reads the 8-byte big-endian timestamp from the start of
 *       {@code signature}, rebuilds the message {@code "cosignature/v1\ntime <t>\n" + noteText},
 *       and checks the remaining 64 bytes as an Ed25519 signature over it. A {@code
 *       timestamp(NoteSignature)} accessor lets callers apply a freshness policy with an injected
 *       {@code Clock}.
 *   <li>Teach {@link dev.sluice.trust.tlog.NoteVerifier#parse} the new type byte (one more {@code
 *       case} in its switch) so cosigner vkeys can be configured as text.
 *   <li>Witness policy ("at least k of these n witnesses") sits on top: open the note with the log
 *       key plus the witness verifiers, then count the witness names in {@link
 *       dev.sluice.trust.tlog.VerifiedNote#verifiedSignatures()}. The log key must be among the
 *       verified signers as well; a note signed only by witnesses proves nothing about the log.
 *   <li>For the signing side (Sluice running a witness), add a {@code CosignatureSigner} and a
 *       {@code SignedNote.addSignatures(note, ...)} that appends lines to an opened note.
 * </ol>
 */
package dev.sluice.trust.tlog;
