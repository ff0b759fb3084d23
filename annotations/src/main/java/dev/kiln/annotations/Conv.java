package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A 2-D convolution over NHWC input, as Flax's {@code nn.Conv}: {@code (B,H,W,C) -> (B,H',W',
 * features)} with kernel {@code [kh, kw, C, features]} (HWIO, lecun normal) and bias {@code
 * [features]} (zeros). The component type is {@code dev.kiln.runtime.nn.ConvParams}.
 */
@Documented
@Layer
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Conv {
  /** The number of output channels; positive. */
  int features();

  /** The window, {@code {kh, kw}}. */
  int[] kernel() default {3, 3};

  /** The step between windows, {@code {sh, sw}}; positive. */
  int[] strides() default {1, 1};

  /**
   * {@code "SAME"} (output {@code ceil(H / stride)}), {@code "VALID"} (no padding) or explicit
   * padding {@code "((top, bottom), (left, right))"}, as Flax's {@code padding}.
   */
  String padding() default "SAME";

  /** The kernel dilation, Flax's {@code kernel_dilation}. */
  int[] dilation() default {1, 1};

  /** Whether to add a bias, as Flax's {@code use_bias}. */
  boolean useBias() default true;

  /** The activation applied to the result. */
  Activation activation() default Activation.NONE;
}
