package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An LSTM over the time axis, as Flax's {@code nn.RNN(nn.LSTMCell(features))} with {@code
 * seq_lengths}: {@code (B, T, E) -> (B, features)}, the state after each row's last real token
 * (lengths come from an {@link Embed} before it; without one every step is real), or with {@code
 * returnSequence} every step's output {@code (B, T, features)}. The component type is {@code
 * dev.kiln.runtime.nn.LstmParams}, whose parameters Flax names {@code cell/ii/kernel}, ...
 */
@Documented
@Layer
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Lstm {
  /** The size of the hidden state; positive. */
  int features();

  /**
   * {@code false}: {@code h} after each row's last real step {@code (B, H)};
   * {@code true}: every step's {@code (B, T, H)}.
   */
  boolean returnSequence() default false;

  /**
   * Read the sequence both ways, as Flax's {@code nn.Bidirectional(nn.RNN(cell), nn.RNN(cell))}: the
   * backward pass reverses each row within its length, and the two outputs are concatenated, so the
   * result has {@code 2 * features}. The component type is then {@code
   * dev.kiln.runtime.nn.BidirectionalLstmParams} (Flax paths {@code forward_rnn/cell/...} and {@code
   * backward_rnn/cell/...}).
   */
  boolean bidirectional() default false;
}
