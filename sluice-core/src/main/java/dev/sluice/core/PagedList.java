package dev.sluice.core;

/**
 * The lists the API answers a page at a time. Every cursor names the list it belongs to, so a
 * cursor of one list handed to another is refused rather than read as a position it never was.
 */
public enum PagedList {
  RELEASES("rel"),
  ROLLOUTS("rol"),
  AUDIT("aud"),
  DEVICES("dev"),
  PRODUCTS("prd"),
  CERTIFIERS("crt"),
  TOKENS("tok");

  private final String tag;

  PagedList(String tag) {
    this.tag = tag;
  }

  /** The short name a cursor carries before its position. */
  String tag() {
    return tag;
  }
}
