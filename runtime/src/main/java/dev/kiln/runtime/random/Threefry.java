package dev.kiln.runtime.random;

/**
 * The Threefry-2x32 block function (20 rounds, Random123), the counter-based hash behind JAX's
 * default PRNG: every key derivation and every random word is one call of it, so porting it exactly
 * is what makes Java draws equal JAX's bit for bit.
 */
public final class Threefry {
  private static final int PARITY = 0x1BD11BDA;

  private Threefry() {}

  /**
   * Hashes the counter {@code (x0, x1)} under the key {@code (k0, k1)}; all words are unsigned.
   *
   * @return the two output words packed as {@code (y0 << 32) | y1}
   */
  public static long hash(int k0, int k1, int x0, int x1) {
    int k2 = k0 ^ k1 ^ PARITY;
    x0 += k0;
    x1 += k1;
    // group 1 (rotations 13, 15, 26, 6), then inject (k1, k2 + 1)
    x0 += x1; x1 = Integer.rotateLeft(x1, 13) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 15) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 26) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 6) ^ x0;
    x0 += k1; x1 += k2 + 1;
    // group 2 (17, 29, 16, 24), inject (k2, k0 + 2)
    x0 += x1; x1 = Integer.rotateLeft(x1, 17) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 29) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 16) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 24) ^ x0;
    x0 += k2; x1 += k0 + 2;
    // group 3, inject (k0, k1 + 3)
    x0 += x1; x1 = Integer.rotateLeft(x1, 13) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 15) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 26) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 6) ^ x0;
    x0 += k0; x1 += k1 + 3;
    // group 4, inject (k1, k2 + 4)
    x0 += x1; x1 = Integer.rotateLeft(x1, 17) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 29) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 16) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 24) ^ x0;
    x0 += k1; x1 += k2 + 4;
    // group 5, inject (k2, k0 + 5)
    x0 += x1; x1 = Integer.rotateLeft(x1, 13) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 15) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 26) ^ x0;
    x0 += x1; x1 = Integer.rotateLeft(x1, 6) ^ x0;
    x0 += k2; x1 += k0 + 5;
    return ((long) x0 << 32) | Integer.toUnsignedLong(x1);
  }

  /** JAX's partitionable 32-bit draw number {@code i} for a key: {@code y0 ^ y1} of counter {@code i}. */
  static int bits32(int k0, int k1, long i) {
    long y = hash(k0, k1, (int) (i >>> 32), (int) i);
    return (int) (y >>> 32) ^ (int) y;
  }
}
