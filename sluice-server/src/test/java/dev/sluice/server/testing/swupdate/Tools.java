package dev.sluice.server.testing.swupdate;

import dev.sluice.server.testing.RequiredTool;
import java.nio.file.Path;

/**
 * The external programs the SWUpdate tests need ({@code swupdate}, {@code swupdate-ipc}, {@code
 * openssl}; {@code .ci/run} installs them), found by {@link RequiredTool}: skipped where missing on
 * a developer machine, failed in CI or with {@code SLUICE_SWUPDATE_REQUIRED=true}.
 */
public final class Tools {
  static final String REQUIRED_ENV = "SLUICE_SWUPDATE_REQUIRED";

  private Tools() {}

  /** The {@code swupdate} binary. */
  public static Path swupdate() {
    return RequiredTool.onPath("swupdate", "swupdate", REQUIRED_ENV);
  }

  /** The {@code swupdate-ipc} client (same package as swupdate). */
  public static Path swupdateIpc() {
    return RequiredTool.onPath("swupdate-ipc", "swupdate", REQUIRED_ENV);
  }

  /** The {@code openssl} command line tool. */
  public static Path openssl() {
    return RequiredTool.onPath("openssl", "openssl", REQUIRED_ENV);
  }
}
