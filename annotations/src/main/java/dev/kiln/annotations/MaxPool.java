package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The maximum over each window of NHWC input, as Flax's {@code nn.max_pool}. As in Flax the
 * strides default to 1: write {@code @MaxPool(window = {2, 2}, strides = {2, 2})} to halve H and W.
 */
@Documented
@Layer
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface MaxPool {
  /** The window, {@code {h, w}}; positive. */
  int[] window();

  /** The step between windows, {@code {sh, sw}}; positive. */
  int[] strides() default {1, 1};

  /** {@code "VALID"} or {@code "SAME"}. */
  String padding() default "VALID";
}
