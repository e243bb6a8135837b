package dev.sluice.server.testing.rauc;

import dev.sluice.server.testing.RequiredTool;
import java.nio.file.Path;

/**
 * What the RAUC tests need: {@code rauc} (Debian's 1.8, run as {@code rauc service}), {@code
 * dbus-daemon} for a private session bus, {@code gdbus} to call RAUC's D-Bus API, {@code openssl}
 * for the test CA; and root, because RAUC loop-mounts the bundle it installs. {@code .ci/run}
 * installs them. Found by {@link RequiredTool}: skipped where missing on a developer machine,
 * failed in CI or with {@code SLUICE_RAUC_REQUIRED=true}.
 */
public final class RaucTools {
  static final String REQUIRED_ENV = "SLUICE_RAUC_REQUIRED";

  private RaucTools() {}

  public static Path rauc() {
    return RequiredTool.onPath("rauc", "rauc", REQUIRED_ENV);
  }

  public static Path dbusDaemon() {
    return RequiredTool.onPath("dbus-daemon", "dbus-daemon", REQUIRED_ENV);
  }

  public static Path gdbus() {
    return RequiredTool.onPath("gdbus", "libglib2.0-bin", REQUIRED_ENV);
  }

  public static Path openssl() {
    return RequiredTool.onPath("openssl", "openssl", REQUIRED_ENV);
  }

  /** RAUC mounts bundles (loop devices): only root may. */
  public static void requireRoot() {
    String user = System.getProperty("user.name");
    if (!"root".equals(user)) {
      RequiredTool.unavailable(
          "the RAUC service must run as root to mount bundles (running as " + user + ")",
          REQUIRED_ENV);
    }
  }
}
