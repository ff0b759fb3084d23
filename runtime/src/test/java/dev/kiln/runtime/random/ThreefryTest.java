package dev.kiln.runtime.random;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Random123's threefry2x32_20 known-answer vectors (the ones JAX's random_test.py uses). */
class ThreefryTest {
  private static void assertHash(int k0, int k1, int x0, int x1, int y0, int y1) {
    long y = Threefry.hash(k0, k1, x0, x1);
    assertEquals(Integer.toHexString(y0), Integer.toHexString((int) (y >>> 32)));
    assertEquals(Integer.toHexString(y1), Integer.toHexString((int) y));
  }

  @Test
  void zeroKeyZeroCounter() {
    assertHash(0, 0, 0, 0, 0x6B200159, 0x99BA4EFE);
  }

  @Test
  void allOnes() {
    assertHash(-1, -1, -1, -1, 0x1CB996FC, 0xBB002BE7);
  }

  @Test
  void piDigits() {
    assertHash(0x13198A2E, 0x03707344, 0x243F6A88, 0x85A308D3, 0xC4923A9C, 0x483DF7A0);
  }
}
