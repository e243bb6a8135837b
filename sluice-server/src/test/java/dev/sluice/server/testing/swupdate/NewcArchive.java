package dev.sluice.server.testing.swupdate;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a cpio archive in the SVR4 "newc" format (magic {@code 070701}, no checksum), the
 * container of a SWUpdate {@code .swu} image. Entries keep the order in which they are added.
 *
 * <p>Format: each entry is a 110-byte ASCII header (magic and 13 eight-digit hex fields), the
 * NUL-terminated name padded to a multiple of 4, and the data padded to a multiple of 4; a {@code
 * TRAILER!!!} entry ends the archive, which is then padded to 512-byte blocks as GNU cpio does.
 */
public final class NewcArchive {
  private static final String MAGIC = "070701";
  private static final String TRAILER = "TRAILER!!!";
  private static final int REGULAR_FILE_0644 = 0100644;
  private static final int BLOCK = 512;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Map<String, Integer> dataOffsets = new LinkedHashMap<>();
  private int nextInode = 1;
  private boolean finished;

  /** Appends a regular file. Names are plain relative names, unique within the archive. */
  public NewcArchive add(String name, byte[] data) {
    Objects.requireNonNull(data, "data");
    if (finished) {
      throw new IllegalStateException("the archive is finished");
    }
    if (name == null || !name.matches("[A-Za-z0-9._-]{1,255}") || name.equals(TRAILER)) {
      throw new IllegalArgumentException("an entry name is 1-255 letters, digits, '.', '_', '-'");
    }
    if (dataOffsets.containsKey(name)) {
      throw new IllegalArgumentException("duplicate entry " + name);
    }
    writeHeader(name, REGULAR_FILE_0644, nextInode++, data.length);
    dataOffsets.put(name, out.size());
    out.writeBytes(data);
    padTo(4);
    return this;
  }

  /** Where the data of entry {@code name} starts in {@link #finish()}'s bytes. */
  public int dataOffset(String name) {
    Integer offset = dataOffsets.get(name);
    if (offset == null) {
      throw new IllegalArgumentException("no entry " + name);
    }
    return offset;
  }

  /** Appends the trailer and returns the archive. */
  public byte[] finish() {
    if (!finished) {
      writeHeader(TRAILER, 0, 0, 0);
      padTo(BLOCK);
      finished = true;
    }
    return out.toByteArray();
  }

  private void writeHeader(String name, int mode, int inode, int size) {
    byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.US_ASCII);
    StringBuilder header = new StringBuilder(MAGIC);
    int[] fields = {
      inode,
      mode,
      0 /* uid */,
      0 /* gid */,
      1 /* nlink */,
      0 /* mtime */,
      size,
      0 /* devmajor */,
      0 /* devminor */,
      0 /* rdevmajor */,
      0 /* rdevminor */,
      nameBytes.length,
      0 /* check: unused in newc */
    };
    for (int field : fields) {
      header.append(String.format("%08X", field));
    }
    out.writeBytes(header.toString().getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(nameBytes);
    padTo(4);
  }

  private void padTo(int multiple) {
    while (out.size() % multiple != 0) {
      out.write(0);
    }
  }
}
