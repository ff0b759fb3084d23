package dev.kiln.runtime.data;

import dev.kiln.runtime.random.PRNGKey;
import java.util.SplittableRandom;

/**
 * Stand-in for {@code PRNGKey.of}, {@code split}, {@code foldIn} and {@code JaxRandom.permutation},
 * which are being written (JAX-exact, threefry) on another branch. Deterministic for a key, but not
 * JAX's numbers: delete this class and call the real ones once they are on main.
 */
public final class PrngFallback {
  private PrngFallback() {}

  /** {@code jax.random.PRNGKey(seed)}: this one is exact (the seed's high and low words). */
  public static PRNGKey of(long seed) {
    return new PRNGKey((int) (seed >>> 32), (int) seed);
  }

  /** Two independent keys derived from {@code key}. */
  public static PRNGKey[] split(PRNGKey key) {
    SplittableRandom r = random(key);
    return new PRNGKey[] {new PRNGKey(r.nextInt(), r.nextInt()), new PRNGKey(r.nextInt(), r.nextInt())};
  }

  /** A key derived from {@code key} and {@code data}, different for every {@code data}. */
  public static PRNGKey foldIn(PRNGKey key, int data) {
    SplittableRandom r = new SplittableRandom(seed(key) ^ (0x9E3779B97F4A7C15L * (data + 1L)));
    return new PRNGKey(r.nextInt(), r.nextInt());
  }

  /** A permutation of {@code 0..n-1} (Fisher-Yates). */
  public static int[] permutation(PRNGKey key, int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom r = random(key);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static SplittableRandom random(PRNGKey key) {
    return new SplittableRandom(seed(key));
  }

  private static long seed(PRNGKey key) {
    return ((long) key.hi() << 32) | Integer.toUnsignedLong(key.lo());
  }
}
