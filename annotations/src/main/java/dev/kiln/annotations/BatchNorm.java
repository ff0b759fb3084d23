package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Flax's {@code nn.BatchNorm} over the last axis: in training it normalises with the batch's
 * statistics and updates the running ones ({@code ra = momentum * ra + (1 - momentum) * batch}); in
 * evaluation it uses the running statistics. The component type is {@code
 * dev.kiln.runtime.nn.BatchNormVars}: trainable {@code scale} and {@code bias}, and the running
 * {@code mean} and {@code var} (Flax's {@code batch_stats} collection), saved with the parameters.
 */
@Documented
@Layer
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface BatchNorm {
  /** The running statistics' decay, in [0, 1]. */
  double momentum() default 0.99;

  /** Added to the variance; positive. */
  double epsilon() default 1e-5;
}
