package dev.sluice.trust.tuf;

import dev.sluice.trust.tuf.model.TufException;

/**
 * A fetched metadata file is longer than the limit it was fetched with (TUF 1.0 §5.3.3, §5.4.1): an
 * endless-data attack.
 */
public final class MetadataTooLargeException extends TufException {
  private static final long serialVersionUID = 1L;

  private final String fileName;
  private final long maxLength;

  public MetadataTooLargeException(String fileName, long maxLength) {
    super(fileName + " is longer than " + maxLength + " bytes");
    this.fileName = fileName;
    this.maxLength = maxLength;
  }

  public String fileName() {
    return fileName;
  }

  public long maxLength() {
    return maxLength;
  }
}
