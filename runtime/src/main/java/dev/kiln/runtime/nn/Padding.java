package dev.kiln.runtime.nn;

/**
 * The spatial padding of a convolution or pooling, as Flax's {@code padding} argument allows:
 * {@code 'SAME'}, {@code 'VALID'} or explicit {@code ((top, bottom), (left, right))}.
 *
 * <p>With the dilated window {@code dk = (k - 1) d + 1} along an axis of size {@code in} and stride
 * {@code s}, the output size and the padding {@code (lo, hi)} before and after are ({@code
 * lax.padtype_to_pads}):
 *
 * <pre>
 *   SAME      out = ceil(in / s)            total = max((out - 1) s + dk - in, 0)
 *                                           lo = floor(total / 2), hi = total - lo
 *   VALID     out = ceil((in - dk + 1) / s) lo = hi = 0
 *   explicit  out = floor((in + lo + hi - dk) / s) + 1
 * </pre>
 *
 * VALID is the explicit rule with no padding ({@code ceil((in - dk + 1) / s) = floor((in - dk) / s)
 * + 1}). SAME pads one more at the end than at the start when the total is odd, as XLA does.
 */
public sealed interface Padding {
  /** {@code 'SAME'}: the output has {@code ceil(in / stride)} positions. */
  Padding SAME = new Same();

  /** {@code 'VALID'}: no padding. */
  Padding VALID = new Explicit(0, 0, 0, 0);

  /** Explicit {@code ((top, bottom), (left, right))}, each >= 0. */
  static Padding explicit(int top, int bottom, int left, int right) {
    return new Explicit(top, bottom, left, right);
  }

  /** {@code 'SAME'}; see {@link Padding}. */
  record Same() implements Padding {
    @Override
    public String toString() {
      return "SAME";
    }
  }

  /** Fixed padding {@code ((top, bottom), (left, right))}; all zero is {@code 'VALID'}. */
  record Explicit(int top, int bottom, int left, int right) implements Padding {
    public Explicit {
      if (top < 0 || bottom < 0 || left < 0 || right < 0) {
        throw new IllegalArgumentException("negative padding " + this);
      }
    }

    /** Padding before the data along spatial axis 0 (height) or 1 (width). */
    public int lo(int axis) {
      return axis == 0 ? top : left;
    }

    /** Padding after the data along spatial axis 0 (height) or 1 (width). */
    public int hi(int axis) {
      return axis == 0 ? bottom : right;
    }

    /** The same amount before and after along each axis (ND4J's explicit padding is symmetric). */
    public boolean isSymmetric() {
      return top == bottom && left == right;
    }

    @Override
    public String toString() {
      return top == 0 && bottom == 0 && left == 0 && right == 0
          ? "VALID"
          : "((" + top + ", " + bottom + "), (" + left + ", " + right + "))";
    }
  }
}
