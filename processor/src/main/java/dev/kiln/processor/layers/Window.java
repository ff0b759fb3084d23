package dev.kiln.processor.layers;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A sliding window over the two spatial axes of NHWC input, shared by convolutions and pools:
 * sizes, strides, dilation and padding, validated, with Flax's output-size rule.
 */
record Window(String layer, List<Integer> size, List<Integer> strides, List<Integer> dilation, Padding padding) {
  private static final ClassName PADDING = ClassName.get("dev.kiln.runtime.nn", "Padding");
  private static final Pattern NUMBER = Pattern.compile("-?\\d+");

  /** SAME, or explicit (top, bottom, left, right); VALID is explicit zeros. */
  record Padding(boolean same, int top, int bottom, int left, int right) {
    static final Padding SAME = new Padding(true, 0, 0, 0, 0);

    boolean asymmetric() {
      return !same && (top != bottom || left != right);
    }

    CodeBlock code() {
      if (same) {
        return CodeBlock.of("$T.SAME", PADDING);
      }
      if (top == 0 && bottom == 0 && left == 0 && right == 0) {
        return CodeBlock.of("$T.VALID", PADDING);
      }
      return CodeBlock.of("$T.explicit($L, $L, $L, $L)", PADDING, top, bottom, left, right);
    }

    @Override
    public String toString() {
      if (same) {
        return "SAME";
      }
      if (top == 0 && bottom == 0 && left == 0 && right == 0) {
        return "VALID";
      }
      return "((" + top + "," + bottom + "),(" + left + "," + right + "))";
    }
  }

  /**
   * Reads and checks a window from a layer's attributes.
   *
   * @throws IllegalArgumentException as an {@link Inference} error: the message, and the attribute
   *     in {@link Invalid#attribute()}
   */
  static Window read(LayerSpec spec, String sizeAttribute, boolean explicitPaddingAllowed) {
    String layer = "@" + spec.kind();
    List<Integer> size = pair(spec, sizeAttribute, layer);
    List<Integer> strides = pair(spec, "strides", layer);
    List<Integer> dilation = spec.attributes().containsKey("dilation") ? pair(spec, "dilation", layer) : List.of(1, 1);
    return new Window(layer, size, strides, dilation, padding(spec.stringValue("padding"), layer, explicitPaddingAllowed));
  }

  /** A window attribute that is wrong; carries the attribute so the error lands on it. */
  static final class Invalid extends IllegalArgumentException {
    private final String attribute;

    Invalid(String attribute, String message) {
      super(message);
      this.attribute = attribute;
    }

    String attribute() {
      return attribute;
    }
  }

  private static List<Integer> pair(LayerSpec spec, String attribute, String layer) {
    List<Integer> values = spec.intList(attribute);
    if (values.size() != 2) {
      throw new Invalid(attribute, layer + " " + attribute + " needs two values {height, width}, found " + text(values));
    }
    if (values.get(0) <= 0 || values.get(1) <= 0) {
      throw new Invalid(attribute, layer + " " + attribute + " must be positive, found " + text(values));
    }
    return values;
  }

  private static Padding padding(String text, String layer, boolean explicitAllowed) {
    String t = text.strip().toUpperCase(java.util.Locale.ROOT);
    if (t.equals("SAME")) {
      return Padding.SAME;
    }
    if (t.equals("VALID")) {
      return new Padding(false, 0, 0, 0, 0);
    }
    Matcher m = NUMBER.matcher(text);
    List<Integer> numbers = new java.util.ArrayList<>();
    while (m.find()) {
      numbers.add(Integer.parseInt(m.group()));
    }
    if (!explicitAllowed || numbers.size() != 4 || !text.matches("[\\s(),\\-0-9]+")) {
      throw new Invalid("padding", layer + " padding must be \"SAME\""
          + (explicitAllowed ? ", \"VALID\" or \"((top, bottom), (left, right))\"" : " or \"VALID\"")
          + ", found \"" + text + "\"");
    }
    if (numbers.stream().anyMatch(n -> n < 0)) {
      throw new Invalid("padding", layer + " padding must not be negative, found \"" + text + "\"");
    }
    return new Padding(false, numbers.get(0), numbers.get(1), numbers.get(2), numbers.get(3));
  }

  /**
   * The output's spatial sizes for an input, by Flax's rule: SAME gives {@code ceil(in / stride)};
   * otherwise {@code floor((in + pads - span) / stride) + 1} with {@code span = (k - 1) * d + 1}.
   *
   * @throws Invalid when the input is not NHWC with known sizes or the window leaves nothing
   */
  Shape apply(Shape input, Dim channels, String description) {
    return output(input, channels, description, false);
  }

  /**
   * The output of the transposed window (a transposed convolution), by Flax's rule: SAME gives
   * {@code in * stride}, VALID {@code in * stride + max(k - stride, 0)}.
   */
  Shape applyTransposed(Shape input, Dim channels, String description) {
    return output(input, channels, description, true);
  }

  private Shape output(Shape input, Dim channels, String description, boolean transposed) {
    if (input.rank() != 4) {
      throw new Invalid(null, layer + " needs NHWC input (B,H,W,C), found " + input
          + (input.rank() == 2 ? "; add @Reshape({H, W, C}) before it" : ""));
    }
    for (int axis = 1; axis <= 3; axis++) {
      if (!input.dim(axis).isKnown()) {
        throw new Invalid(null, layer + " needs known sizes, found " + input);
      }
    }
    long h = transposed ? transposedSize(input.dim(1).size(), 0) : size(input.dim(1).size(), 0);
    long w = transposed ? transposedSize(input.dim(2).size(), 1) : size(input.dim(2).size(), 1);
    if (h <= 0 || w <= 0) {
      long spanH = (size.get(0) - 1L) * dilation.get(0) + 1;
      long spanW = (size.get(1) - 1L) * dilation.get(1) + 1;
      throw new Invalid(null, description + " needs at least " + spanH + "x" + spanW
          + " per channel after padding, but its input " + input + " leaves " + Math.max(h, 0) + "x" + Math.max(w, 0));
    }
    return new Shape(List.of(Dim.BATCH, Dim.of(h), Dim.of(w), channels));
  }

  private long size(long in, int axis) {
    int stride = strides.get(axis);
    if (padding.same()) {
      return (in + stride - 1) / stride;
    }
    long pads = axis == 0 ? padding.top() + padding.bottom() : padding.left() + padding.right();
    long span = (size.get(axis) - 1L) * dilation.get(axis) + 1;
    long room = in + pads - span;
    return room < 0 ? 0 : room / stride + 1;
  }

  private long transposedSize(long in, int axis) {
    int stride = strides.get(axis);
    return padding.same() ? in * stride : in * stride + Math.max(size.get(axis) - stride, 0);
  }

  /** {@code 3x3}, {@code 3x3 stride 2}, {@code 3x3 SAME}: how summaries and messages name it. */
  String describe() {
    String text = size.get(0) + "x" + size.get(1);
    if (!strides.equals(List.of(1, 1))) {
      text += " stride " + (strides.get(0).equals(strides.get(1)) ? strides.get(0) : text(strides));
    }
    if (!dilation.equals(List.of(1, 1))) {
      text += " dilation " + (dilation.get(0).equals(dilation.get(1)) ? dilation.get(0) : text(dilation));
    }
    return text + " " + padding;
  }

  CodeBlock sizeCode() {
    return ints(size);
  }

  CodeBlock stridesCode() {
    return ints(strides);
  }

  CodeBlock dilationCode() {
    return ints(dilation);
  }

  private static CodeBlock ints(List<Integer> values) {
    return CodeBlock.of("new int[] {$L}", values.stream().map(String::valueOf).collect(Collectors.joining(", ")));
  }

  private static String text(List<Integer> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(",", "(", ")"));
  }
}
