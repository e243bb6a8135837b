package dev.sluice.server.testing.swupdate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/** The newc writer, read back by an independent cpio implementation (Apache Commons Compress). */
class NewcArchiveProperties {

  @Property
  void anotherCpioReaderReadsBackEveryEntryInOrder(@ForAll("entries") Map<String, byte[]> entries)
      throws IOException {
    NewcArchive archive = new NewcArchive();
    entries.forEach(archive::add);
    byte[] bytes = archive.finish();

    List<String> names = new ArrayList<>();
    try (CpioArchiveInputStream in = new CpioArchiveInputStream(new ByteArrayInputStream(bytes))) {
      CpioArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        assertThat(entry.getFormat()).isEqualTo(CpioConstants.FORMAT_NEW);
        assertThat(entry.isRegularFile()).isTrue();
        assertThat(in.readAllBytes()).isEqualTo(entries.get(entry.getName()));
        names.add(entry.getName());
      }
    }
    assertThat(names).containsExactlyElementsOf(entries.keySet());
    assertThat(bytes.length % 512).isZero();
  }

  @Property
  void dataOffsetPointsAtTheEntrysData(@ForAll("entries") Map<String, byte[]> entries) {
    NewcArchive archive = new NewcArchive();
    entries.forEach(archive::add);
    byte[] bytes = archive.finish();
    entries.forEach(
        (name, data) -> {
          int offset = archive.dataOffset(name);
          assertThat(java.util.Arrays.copyOfRange(bytes, offset, offset + data.length))
              .isEqualTo(data);
        });
  }

  @Example
  void duplicateAndUnsafeNamesAreRefused() {
    NewcArchive archive = new NewcArchive().add("a", new byte[] {1});
    assertThatThrownBy(() -> archive.add("a", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate");
    assertThatThrownBy(() -> archive.add("../etc/passwd", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> archive.add("TRAILER!!!", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Example
  void aFinishedArchiveTakesNoMoreEntries() {
    NewcArchive archive = new NewcArchive().add("a", new byte[] {1});
    archive.finish();
    assertThatThrownBy(() -> archive.add("b", new byte[0]))
        .isInstanceOf(IllegalStateException.class);
  }

  @Provide
  Arbitrary<Map<String, byte[]>> entries() {
    Arbitrary<String> names =
        Arbitraries.strings().withChars("abcXYZ019._-").ofMinLength(1).ofMaxLength(40);
    Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(2000);
    return Arbitraries.maps(names, data).ofMinSize(1).ofMaxSize(6).map(LinkedHashMap::new);
  }
}
