package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A transposed 2-D convolution over NHWC input, as Flax's {@code nn.ConvTranspose}: with {@code
 * SAME} padding {@code (B,H,W,C) -> (B, H*sh, W*sw, features)}, with {@code VALID} {@code H*sh +
 * max(kh - sh, 0)}. Kernel {@code [kh, kw, C, features]} (lecun normal) as Flax stores it with
 * {@code transpose_kernel=False}, bias {@code [features]} (zeros). The component type is {@code
 * dev.kiln.runtime.nn.ConvTransposeParams}.
 */
@Documented
@Layer
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ConvTranspose {
  /** The number of output channels; positive. */
  int features();

  /** The window, {@code {kh, kw}}. */
  int[] kernel() default {3, 3};

  /** The upsampling factor per axis, {@code {sh, sw}}; positive. */
  int[] strides() default {1, 1};

  /** {@code "SAME"} or {@code "VALID"}. */
  String padding() default "SAME";

  /** Flax's {@code transpose_kernel}: the kernel is stored {@code [kh, kw, features, C]} and flipped. */
  boolean transposeKernel() default false;

  /** Whether to add a bias, as Flax's {@code use_bias}. */
  boolean useBias() default true;

  /** The activation applied to the result. */
  Activation activation() default Activation.NONE;
}
