package dev.sluice.core.rollout;

import dev.sluice.core.device.ControllerId;
import dev.sluice.trust.hash.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The order in which a rollout takes its devices: by a hash of (rollout id, controller id). Stages
 * are therefore a uniformly random sample of the fleet (no bias by name, region or registration
 * order), yet the same rollout always picks the same devices, and another rollout picks others.
 */
public final class StageMembership {
  private StageMembership() {}

  /** The device's rank in the rollout: the first 8 bytes of SHA-256(rollout id, 0, device id). */
  public static long rank(RolloutId rollout, ControllerId device) {
    byte[] rolloutBytes = rollout.value().getBytes(StandardCharsets.US_ASCII);
    byte[] deviceBytes = device.value().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer input = ByteBuffer.allocate(rolloutBytes.length + 1 + deviceBytes.length);
    input.put(rolloutBytes).put((byte) 0).put(deviceBytes);
    return ByteBuffer.wrap(Sha256.of(input.array()).bytes()).getLong();
  }
}
