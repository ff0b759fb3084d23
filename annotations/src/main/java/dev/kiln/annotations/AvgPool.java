package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The mean over each window of NHWC input, as Flax's {@code nn.avg_pool}; strides default to 1. */
@Documented
@Layer
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface AvgPool {
  /** The window, {@code {h, w}}; positive. */
  int[] window();

  /** The step between windows, {@code {sh, sw}}; positive. */
  int[] strides() default {1, 1};

  /** {@code "VALID"} or {@code "SAME"}. */
  String padding() default "VALID";

  /** With SAME padding, divide by the whole window (Flax's default) rather than by the real inputs in it. */
  boolean countIncludePad() default true;
}
