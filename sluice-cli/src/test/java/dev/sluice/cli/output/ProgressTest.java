package dev.sluice.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final AtomicLong nanos = new AtomicLong();
  private final StringWriter text = new StringWriter();

  @Test
  void aTerminalSeesBytesRateAndTimeLeftRedrawnInPlace() {
    try (Progress bar =
        new Progress(new PrintWriter(text), "rootfs.img", 100L << 20, true, nanos::get)) {
      nanos.set(2_000_000_000L);
      bar.advance(25L << 20);
    }
    assertThat(text.toString())
        .startsWith(
            "\rrootfs.img [######..................] 25 MiB / 100 MiB  12.5 MiB/s  ETA 0:06")
        .endsWith(System.lineSeparator());
  }

  @Test
  void nothingIsDrawnWhenStandardErrorIsNotATerminal() {
    try (Progress bar =
        new Progress(new PrintWriter(text), "rootfs.img", 1000, false, nanos::get)) {
      nanos.set(1_000_000_000L);
      bar.advance(500);
    }
    assertThat(text.toString()).isEmpty();
  }

  @Test
  void redrawsAreThrottled() {
    try (Progress bar = new Progress(new PrintWriter(text), "a", 1000, true, nanos::get)) {
      for (int i = 0; i < 10; i++) {
        nanos.addAndGet(10_000_000L); // 10 ms apart: only one redraw in 200 ms
        bar.advance(10);
      }
      nanos.addAndGet(200_000_000L);
      bar.advance(10);
    }
    assertThat(text.toString().chars().filter(c -> c == '\r').count()).isEqualTo(2);
  }

  @Test
  void aWaitCountsThingsWhoseTotalGrows() {
    try (Progress bar =
        new Progress(
            new PrintWriter(text), "ro_1", 0, Progress.Unit.of("devices"), true, nanos::get)) {
      nanos.set(4_000_000_000L);
      bar.set(2, 10);
      nanos.set(10_000_000_000L);
      bar.set(5, 40);
    }
    assertThat(text.toString())
        .contains(
            "\rro_1 [###.....................] 5 devices / 40 devices  0.5 devices/s  ETA 1:10");
  }

  @Test
  void aDownloadIsCountedAsItIsWritten() throws Exception {
    java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
    try (Progress bar = new Progress(new PrintWriter(text), "a.img", 1000, true, nanos::get);
        java.io.OutputStream out = bar.counting(sink)) {
      out.write(new byte[600], 0, 600);
      out.write(7);
      nanos.set(1_000_000_000L);
      out.write(new byte[399]);
    }
    assertThat(sink.size()).isEqualTo(1000);
    assertThat(text.toString()).contains("1000 B / 1000 B");
  }
}
