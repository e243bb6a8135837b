/**
 * The public read API ({@code /api/v1/public/}): what a verifier needs, without any account, device
 * or token. Signed and logged documents (policy records, statements, check reports, TUF key
 * objects) stay trees, byte for byte as signed.
 */
package dev.sluice.api.verifier;
