package dev.kiln.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MeasurementTest {
  @Test
  void lineReadsBackAndGivesItemsPerSecond() {
    Measurement m = new Measurement(250, 10.5, 128, 2_000_000);
    Measurement back = Measurement.parse(m.toLine());
    assertEquals(m, back);
    assertEquals(250 * 128 / 10.5, back.throughput(), 1e-9);
  }

  @Test
  void pythonLineWithExtraFieldsIsRead() {
    Measurement m = Measurement.parse("RESULT steps=40 seconds=10.000000 items_per_step=1 peak_rss_kb=261832 torch=1.13");
    assertEquals(4.0, m.throughput(), 1e-12);
    assertEquals(261832, m.peakRssKb());
  }

  @Test
  void missingFieldIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Measurement.parse("RESULT steps=40 seconds=10 peak_rss_kb=1"));
    assertTrue(e.getMessage().contains("items_per_step"), e.getMessage());
  }

  @Test
  void otherLinesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Measurement.parse("steps=1"));
  }
}
