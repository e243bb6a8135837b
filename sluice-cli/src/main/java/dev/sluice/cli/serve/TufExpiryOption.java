package dev.sluice.cli.serve;

import dev.sluice.trust.tuf.RepositoryBuilder;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses {@code --tuf-expiry ROLE=DURATION} options over the default expiry periods. */
final class TufExpiryOption {
  private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,6})([mhd])");

  private TufExpiryOption() {}

  static RepositoryBuilder.Expiry parse(Map<String, String> options) {
    RepositoryBuilder.Expiry e = RepositoryBuilder.Expiry.defaults();
    Duration root = e.root();
    Duration targets = e.targets();
    Duration snapshot = e.snapshot();
    Duration timestamp = e.timestamp();
    for (Map.Entry<String, String> option : options.entrySet()) {
      Duration value = duration(option.getValue());
      switch (option.getKey().toLowerCase(Locale.ROOT)) {
        case "root" -> root = value;
        case "targets" -> targets = value;
        case "snapshot" -> snapshot = value;
        case "timestamp" -> timestamp = value;
        default ->
            throw new IllegalArgumentException(
                "--tuf-expiry names root, targets, snapshot or timestamp, not '"
                    + option.getKey()
                    + "'");
      }
    }
    return new RepositoryBuilder.Expiry(root, targets, snapshot, timestamp);
  }

  static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "a TUF expiry is a whole number with a unit m, h or d, e.g. 6h or 7d; got '"
              + text
              + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
