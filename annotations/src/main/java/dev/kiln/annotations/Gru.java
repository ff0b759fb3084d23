package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A GRU over the time axis, as Flax's {@code nn.RNN(nn.GRUCell(features))} with {@code
 * seq_lengths}; shapes and lengths as {@link Lstm}. The component type is {@code
 * dev.kiln.runtime.nn.GruParams}.
 */
@Documented
@Layer
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Gru {
  /** The size of the hidden state; positive. */
  int features();

  /**
   * {@code false}: the state after each row's last real step {@code (B, H)};
   * {@code true}: every step's {@code (B, T, H)}.
   */
  boolean returnSequence() default false;

  /**
   * Read the sequence both ways, as {@link Lstm#bidirectional()}; the component type is then {@code
   * dev.kiln.runtime.nn.BidirectionalGruParams}.
   */
  boolean bidirectional() default false;
}
