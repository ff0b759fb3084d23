package dev.kiln.runtime.random;

/**
 * A JAX PRNG key: the two 32-bit words of {@code jax.random.PRNGKey(seed)} (threefry2x32).
 * Words are unsigned; read them with {@link Integer#toUnsignedLong}.
 */
public record PRNGKey(int hi, int lo) {}
