package dev.sluice.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

class SqliteNativeLibraryTest {
  private static final String PATH = "org.sqlite.lib.path";
  private static final String NAME = "org.sqlite.lib.name";

  @TempDir Path dir;
  private String pathBefore;
  private String nameBefore;

  @BeforeEach
  void clearProperties() {
    pathBefore = System.clearProperty(PATH);
    nameBefore = System.clearProperty(NAME);
  }

  @AfterEach
  void restoreProperties() {
    restore(PATH, pathBefore);
    restore(NAME, nameBefore);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  private static byte[] jarLibrary() throws IOException {
    String resource =
        LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
    try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
      assertThat(in).as("sqlite-jdbc has a library for this platform").isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void keepsTheJarsLibraryInTheDirectoryAndPointsSqliteJdbcAtIt() throws IOException {
    Path kept = SqliteNativeLibrary.keepIn(dir.resolve("native")).orElseThrow();

    assertThat(kept.getParent()).isEqualTo(dir.resolve("native"));
    assertThat(Files.readAllBytes(kept)).isEqualTo(jarLibrary());
    assertThat(System.getProperty(PATH)).isEqualTo(dir.resolve("native").toString());
    assertThat(System.getProperty(NAME)).isEqualTo(kept.getFileName().toString());
    try (var files = Files.list(dir.resolve("native"))) {
      assertThat(files).as("no partial file left").containsExactly(kept);
    }
  }

  @Test
  void replacesAKeptLibraryThatDiffersFromTheJars() throws IOException {
    Path first = SqliteNativeLibrary.keepIn(dir).orElseThrow();
    Files.write(first, new byte[] {1, 2, 3});
    clearProperties();

    Path second = SqliteNativeLibrary.keepIn(dir).orElseThrow();

    assertThat(second).isEqualTo(first);
    assertThat(Files.readAllBytes(second)).isEqualTo(jarLibrary());
  }

  @Test
  void removesTheLibrariesOfOtherVersionsAndPartialCopies() throws IOException {
    Path older = Files.write(dir.resolve("sqlite-3.0.0.0-libsqlitejdbc.so"), new byte[] {1});
    Path partial = Files.write(dir.resolve("sqlite-x-libsqlitejdbc.so123.partial"), new byte[] {2});
    Path unrelated = Files.write(dir.resolve("README"), new byte[] {3});

    Path kept = SqliteNativeLibrary.keepIn(dir).orElseThrow();

    assertThat(older).doesNotExist();
    assertThat(partial).doesNotExist();
    assertThat(unrelated).exists();
    assertThat(kept).exists();
  }

  @Test
  void leavesALibraryPathSomeoneChoseAlone() {
    System.setProperty(PATH, "/opt/sqlite");

    assertThat(SqliteNativeLibrary.keepIn(dir)).isEmpty();

    assertThat(System.getProperty(PATH)).isEqualTo("/opt/sqlite");
    assertThat(System.getProperty(NAME)).isNull();
    assertThat(dir).isEmptyDirectory();
  }
}
