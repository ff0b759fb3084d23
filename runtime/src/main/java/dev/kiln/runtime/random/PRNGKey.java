package dev.kiln.runtime.random;

/**
 * A JAX PRNG key: the two 32-bit words of {@code jax.random.PRNGKey(seed)} (threefry2x32).
 * Words are unsigned; read them with {@link Integer#toUnsignedLong}. Keys are derived exactly as
 * JAX derives them (partitionable split and fold_in), so a Java key equals the JAX key it mirrors.
 */
public record PRNGKey(int hi, int lo) {

  /**
   * {@code jax.random.PRNGKey(seed)} with {@code jax_enable_x64} off (the default): the seed becomes
   * an int32 (its low 32 bits, wrapping), so the key is {@code [0, seed mod 2^32]}.
   */
  public static PRNGKey of(long seed) {
    return new PRNGKey(0, (int) seed);
  }

  /** {@code jax.random.split(key, n)}: key {@code j} is Threefry of counter {@code (0, j)}. */
  public PRNGKey[] split(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("split count must be >= 0, got " + n);
    }
    PRNGKey[] keys = new PRNGKey[n];
    for (int j = 0; j < n; j++) {
      keys[j] = foldIn(j);
    }
    return keys;
  }

  /** {@code jax.random.split(key)}: two keys. */
  public PRNGKey[] split() {
    return split(2);
  }

  /**
   * {@code jax.random.fold_in(key, data)} with {@code data} read as uint32; equal to
   * {@code split(key, n)[data]}.
   */
  public PRNGKey foldIn(int data) {
    long y = Threefry.hash(hi, lo, 0, data);
    return new PRNGKey((int) (y >>> 32), (int) y);
  }

  /** The words as JAX prints them (unsigned), e.g. {@code PRNGKey[0, 42]}. */
  @Override
  public String toString() {
    return "PRNGKey[" + Integer.toUnsignedString(hi) + ", " + Integer.toUnsignedString(lo) + "]";
  }
}
