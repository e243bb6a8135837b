package dev.sluice.trust.tuf;

import dev.sluice.trust.tuf.model.TufException;

/** A metadata file the workflow requires is not on the repository (a freeze or a broken repo). */
public final class MetadataNotFoundException extends TufException {
  private static final long serialVersionUID = 1L;

  private final String fileName;

  public MetadataNotFoundException(String fileName) {
    super(fileName + " is not on the repository");
    this.fileName = fileName;
  }

  public String fileName() {
    return fileName;
  }
}
