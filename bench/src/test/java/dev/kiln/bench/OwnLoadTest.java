package dev.kiln.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OwnLoadTest {
  @Test
  void aRunRaisesTheAverageTowardItsThreadsAndItDecaysAfter() {
    OwnLoad own = new OwnLoad();
    assertEquals(0, own.at(100), 0);
    own.record(0, 60, 2);
    double atEnd = 2 * (1 - Math.exp(-1));
    assertEquals(atEnd, own.at(60), 1e-12);
    assertEquals(atEnd * Math.exp(-1), own.at(120), 1e-12);
    own.record(120, 180, 2);
    assertEquals(atEnd * Math.exp(-2) + atEnd, own.at(180), 1e-12);
  }
}
