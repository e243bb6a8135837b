package dev.sluice.core.tlog;

/**
 * The configured log key is not the key this database's log was started with. Signing with it would
 * publish checkpoints that no auditor holding the original key can verify.
 */
public final class LogIdentityException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String storedVkey;
  private final String configuredVkey;

  public LogIdentityException(String storedVkey, String configuredVkey) {
    super(
        "this database's transparency log is signed by "
            + storedVkey
            + " but the configured log key is "
            + configuredVkey
            + "; refusing to start (use the original DATA/keys/log.key and origin)");
    this.storedVkey = storedVkey;
    this.configuredVkey = configuredVkey;
  }

  public String storedVkey() {
    return storedVkey;
  }

  public String configuredVkey() {
    return configuredVkey;
  }
}
