package dev.sluice.server;

import java.util.Map;
import java.util.Optional;

/**
 * The passphrase of the online keys as given in the environment ({@value #ENV}), read once when the
 * configuration is built; the server itself never reads the environment. Not a record, so that no
 * {@code toString} of a configuration prints it.
 */
public final class KeyPassphrase {
  /** The environment variable holding the passphrase of the log, TUF and device-derivation keys. */
  public static final String ENV = "SLUICE_KEY_PASSPHRASE";

  private static final KeyPassphrase NONE = new KeyPassphrase(null);

  private final String value;

  private KeyPassphrase(String value) {
    this.value = value;
  }

  /** No passphrase from the environment. */
  public static KeyPassphrase none() {
    return NONE;
  }

  /** The passphrase in {@code environment} under {@value #ENV}, if set and not empty. */
  public static KeyPassphrase fromEnvironment(Map<String, String> environment) {
    String v = environment.get(ENV);
    return v == null || v.isEmpty() ? NONE : new KeyPassphrase(v);
  }

  /** The passphrase, if the environment gave one. */
  public Optional<String> value() {
    return Optional.ofNullable(value);
  }

  @Override
  public String toString() {
    return value == null ? "KeyPassphrase[not set]" : "KeyPassphrase[from " + ENV + "]";
  }
}
