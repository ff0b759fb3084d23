package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A fully connected layer on the last axis, as Flax's {@code nn.Dense}: {@code (..., in) -> (...,
 * features)} with kernel {@code [in, features]} (lecun normal) and bias {@code [features]} (zeros).
 * The component type is {@code dev.kiln.runtime.nn.DenseParams}.
 */
@Documented
@Layer
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Dense {
  /** The number of output features; positive. */
  int features();

  /** Whether to add a bias, as Flax's {@code use_bias}. */
  boolean useBias() default true;

  /** The activation applied to the result. */
  Activation activation() default Activation.NONE;
}
