package dev.sluice.core.product;

import java.util.regex.Pattern;

/**
 * How the device API presents a product's releases (hawkBit DDI).
 *
 * @param part the chunk's {@code part}: hawkBit's software module type key, which some clients
 *     check (Zephyr's hawkBit client accepts only {@code bApp}); {@code os} by default
 * @param consent whether every installation of the product's releases needs the device owner's
 *     confirmation first (DDI {@code confirmationBase}), whoever assigns it
 */
public record DdiSettings(String part, boolean consent) {
  /** hawkBit's module type keys: short, printable, no spaces or slashes. */
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public static final DdiSettings DEFAULTS = new DdiSettings("os", false);

  public DdiSettings {
    if (part == null || !PART.matcher(part).matches()) {
      throw new IllegalArgumentException(
          "ddi.part is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
  }
}
