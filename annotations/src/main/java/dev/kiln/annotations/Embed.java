package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Flax's {@code nn.Embed}: token ids {@code (B, T)} to vectors {@code (B, T, features)} through a
 * table {@code embedding [vocab, features]}. Id 0 is padding: the embedding also records each
 * row's length (its non-padding tokens) for recurrent layers after it. The component type is
 * {@code dev.kiln.runtime.nn.EmbedParams}.
 */
@Documented
@Layer
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Embed {
  /** The vocabulary size: a number, or a symbol such as {@code "V"} bound when parameters are made. */
  String vocab();

  /** The size of each token's vector; positive. */
  int features();
}
