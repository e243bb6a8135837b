package dev.sluice.core.device;

import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Device tokens of an idempotent bulk registration, derived instead of drawn so that a replay of
 * the same request can hand out the same tokens without any token being stored: {@code K =
 * HMAC-SHA256(server secret, "sluice-bulk-tokens-v1" ‖ salt ‖ Idempotency-Key)}, and a device's
 * token is {@code sluice_dev_} plus base64url {@code HMAC-SHA256(K, controller id)}. Deriving them
 * takes the server secret (outside the database), the request's random salt (in it) and the key
 * (the client's): a copy of the database alone yields no token. See docs/security.md.
 */
final class DerivedTokens {
  private static final String ALGORITHM = "HmacSHA256";
  private final byte[] key;

  DerivedTokens(byte[] serverSecret, Sha256 salt, String idempotencyKey) {
    Mac mac = mac(serverSecret);
    mac.update("sluice-bulk-tokens-v1".getBytes(StandardCharsets.US_ASCII));
    mac.update((byte) 0);
    mac.update(salt.bytes());
    mac.update((byte) 0);
    this.key = mac.doFinal(idempotencyKey.getBytes(StandardCharsets.US_ASCII));
  }

  /** The token of the device. */
  String token(ControllerId id) {
    byte[] bytes = mac(key).doFinal(id.value().getBytes(StandardCharsets.UTF_8));
    return DeviceTokens.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * A server secret for derivations, from the server's key passphrase (shared by its instances).
   */
  static byte[] serverSecret(byte[] passphrase) {
    return mac(passphrase)
        .doFinal("sluice-derivation-secret-v1".getBytes(StandardCharsets.US_ASCII));
  }

  private static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
