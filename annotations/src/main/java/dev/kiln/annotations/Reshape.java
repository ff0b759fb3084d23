package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Reshapes every axis after the batch axis, in row-major order; the element count must not change:
 * {@code @Reshape({7, 7, 64})} turns {@code (B, 3136)} into {@code (B, 7, 7, 64)}.
 */
@Documented
@Layer
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Reshape {
  /** The new shape without the batch axis; every size positive. */
  int[] value();
}
