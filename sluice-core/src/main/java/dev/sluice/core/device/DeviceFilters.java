package dev.sluice.core.device;

/**
 * The device filter language: a small subset of FIQL/RSQL as hawkBit users know it. See {@code
 * docs/device-filters.md}; e.g. {@code product==acme-phone;status=in=(unknown,error)} or {@code
 * tag==eu-* and (version=lt=14.2 or attribute.hw_rev==2)}.
 */
public final class DeviceFilters {
  private DeviceFilters() {}

  /**
   * Parses a filter; blank text selects every device.
   *
   * @throws dev.sluice.core.SluiceException.InvalidInput naming the position of the first error
   */
  public static FilterNode parse(String text) {
    return FilterParser.parse(text);
  }

  /** The filter that selects every device. */
  public static FilterNode all() {
    return new FilterNode.All();
  }
}
