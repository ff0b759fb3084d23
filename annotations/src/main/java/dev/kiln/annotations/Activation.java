package dev.kiln.annotations;

/** Element-wise activations with the semantics of {@code flax.linen}'s functions of the same name. */
public enum Activation {
  NONE,
  RELU,
  SIGMOID,
  TANH,
  /** Negative slope 0.01, Flax's default. */
  LEAKY_RELU,
  /** Flax's default {@code gelu}: the tanh approximation. */
  GELU,
  /** Alpha 1.0. */
  ELU,
  /** {@code x * sigmoid(x)}, also called swish. */
  SILU,
  SOFTPLUS,
  /** Over the last axis. */
  SOFTMAX,
  /** Over the last axis. */
  LOG_SOFTMAX
}
