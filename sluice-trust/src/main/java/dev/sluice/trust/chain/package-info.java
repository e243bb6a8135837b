/**
 * Verifying a release's whole chain of trust, from a pinned TUF root to the certifiers' private
 * keys, with public data only (docs/records.md, docs/verify.md). No server code: the device agent
 * and {@code sluice verify} share it.
 *
 * <ul>
 *   <li>{@link dev.sluice.trust.chain.ReleaseChainVerifier} walks the chain and returns a {@link
 *       dev.sluice.trust.chain.VerifiedRelease} only if every link holds; each refusal is a {@link
 *       dev.sluice.trust.chain.ChainVerificationException} subclass naming its {@link
 *       dev.sluice.trust.chain.ChainLink}.
 *   <li>{@link dev.sluice.trust.chain.ChainSource} is where the data comes from: a live server
 *       ({@link dev.sluice.trust.chain.HttpChainSource}) or an offline {@link
 *       dev.sluice.trust.chain.VerifyBundle} ({@link dev.sluice.trust.chain.BundleChainSource}).
 *   <li>{@link dev.sluice.trust.chain.VerifierState} keeps the last checkpoint and trusted TUF
 *       metadata between runs, so forks and rollbacks are noticed; a fork keeps both checkpoints.
 *   <li>{@link dev.sluice.trust.chain.Records} reads the log records ({@link
 *       dev.sluice.trust.chain.LoggedRelease}, {@link dev.sluice.trust.chain.LoggedPolicy}).
 * </ul>
 */
package dev.sluice.trust.chain;
