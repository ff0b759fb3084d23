package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Features {@code [from, from + size)} of the last axis of a {@code (B, F)} input: {@code (B, size)},
 * e.g. the mean half of an encoder's output ({@code jnp.split} in Flax code). No parameters.
 */
@Documented
@Layer
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Slice {
  /** The first feature copied; not negative. */
  int from() default 0;

  /** How many features are copied; positive. */
  int size();
}
