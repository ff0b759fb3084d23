package dev.kiln.annotations;

/** Element-wise activations with the semantics of {@code flax.linen}'s functions of the same name. */
public enum Activation {
  /** The identity: only as {@code @Dense}'s and {@code @Conv}'s default. */
  NONE,
  /** {@code max(x, 0)}. */
  RELU,
  /** {@code 1 / (1 + exp(-x))}. */
  SIGMOID,
  /** {@code tanh(x)}. */
  TANH,
  /** Negative slope 0.01, Flax's default. */
  LEAKY_RELU,
  /** Flax's default {@code gelu}: the tanh approximation. */
  GELU,
  /** Alpha 1.0. */
  ELU,
  /** {@code x * sigmoid(x)}, also called swish. */
  SILU,
  /** {@code log(1 + exp(x))}. */
  SOFTPLUS,
  /** Over the last axis. */
  SOFTMAX,
  /** Over the last axis. */
  LOG_SOFTMAX
}
