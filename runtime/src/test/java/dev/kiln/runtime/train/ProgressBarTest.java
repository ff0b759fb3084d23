package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private long now;

  @Test
  void rendersStepsRateLossAndEta() {
    ProgressBar bar = new ProgressBar("epoch 2/3", 469, ProgressBar.Unit.COUNT, "img/s",
        new PrintStream(new ByteArrayOutputStream()), true, () -> now);
    now = 14_000_000_000L;
    bar.status("loss 0.3412");
    bar.advance(312, 21_420);
    assertEquals("epoch 2/3 [===================>          ] 312/469  1,530 img/s  loss 0.3412  ETA 0:07",
        bar.render());
  }

  @Test
  void rendersBytes() {
    ProgressBar bar = new ProgressBar("downloading x.gz", 26_421_880, ProgressBar.Unit.BYTES, "",
        new PrintStream(new ByteArrayOutputStream()), true, () -> now);
    now = 2_000_000_000L;
    bar.advance(13_210_940, 13_210_940);
    assertEquals("downloading x.gz [===============>              ] 13.2 MB/26.4 MB  6.6 MB/s  ETA 0:02", bar.render());
  }

  @Test
  void logModePrintsALinePerTenth() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar("epoch 1/1", 469, ProgressBar.Unit.COUNT, "img/s",
        new PrintStream(bytes, true, StandardCharsets.UTF_8), false, () -> now);
    for (int i = 0; i < 469; i++) {
      now += 10_000_000L;
      bar.advance(1, 128);
    }
    bar.finish();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(10, out.lines().count(), out);
    assertEquals(-1, out.indexOf('\r'));
    assertEquals("epoch 1/1 [==============================] 469/469  12,800 img/s  in 0:05", out.lines().reduce((a, b) -> b).get());
  }

  @Test
  void terminalModeRedrawsAtMostTenTimesASecond() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar("epoch 1/1", 1000, ProgressBar.Unit.COUNT, "img/s",
        new PrintStream(bytes, true, StandardCharsets.UTF_8), true, () -> now);
    for (int i = 0; i < 1000; i++) {
      now += 1_000_000L; // 1 ms a step: 1 s in all
      bar.advance(1, 1);
    }
    long redraws = bytes.toString(StandardCharsets.UTF_8).chars().filter(c -> c == '\r').count();
    assertEquals(10, redraws, "first draw, then one per 100 ms");
  }
}
