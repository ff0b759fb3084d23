package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Flax's {@code nn.Dropout}: in training, zeroes each element with probability {@code rate} and
 * scales the rest by {@code 1 / (1 - rate)}, with the mask Flax draws from the {@code dropout} key
 * stream; in evaluation, the identity. No parameters.
 */
@Documented
@Layer
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Dropout {
  /** The probability of dropping an element, in {@code [0, 1)}. */
  double rate();
}
