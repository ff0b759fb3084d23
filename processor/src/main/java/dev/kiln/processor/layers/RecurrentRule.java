package dev.kiln.processor.layers;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import java.util.List;

/**
 * What the recurrent layers share: the shape rule over {@code (B, T, E)}, Flax's cell parameters
 * (input kernels lecun normal, recurrent kernels orthogonal, biases zeros, under {@code cell/}), and
 * the sequence lengths an embedding before them recorded.
 */
abstract class RecurrentRule implements LayerRule {
  /** {@code Lstm} or {@code Gru}. */
  abstract String cell();

  @Override
  public Inference infer(LayerSpec layer, Shape input) {
    int features = layer.intValue("features");
    if (features <= 0) {
      return Inference.error("features", "@" + cell() + " needs a positive number of features, found " + features);
    }
    if (input.rank() != 3 || !input.last().isKnown()) {
      return Inference.error(null, "@" + cell() + " needs a sequence (B,T,E) with a known E, found " + input
          + (input.rank() == 2 ? "; a recurrent layer before it gives every step only with returnSequence = true" : ""));
    }
    Dim h = Dim.of(features);
    Shape output = sequence(layer) ? new Shape(List.of(Dim.BATCH, input.dim(1), h)) : new Shape(List.of(Dim.BATCH, h));
    return Inference.ok(output, describe(layer) + ": " + input + " -> " + output);
  }

  @Override
  public String describe(LayerSpec layer) {
    return cell() + "(" + layer.intValue("features") + (sequence(layer) ? ", every step" : ", last state") + ")";
  }

  @Override
  public long flopsPerExample(LayerSpec layer, Shape input, Shape output) {
    long h = layer.intValue("features");
    long t = input.dim(1).isKnown() ? input.dim(1).size() : 0;
    return 2 * t * gates() * h * (input.last().size() + h);
  }

  /** The number of gates: their pre-activations are computed together. */
  abstract int gates();

  static boolean sequence(LayerSpec layer) {
    return layer.boolValue("returnSequence");
  }

  /** An input kernel {@code cell/<gate>/kernel} [E, H]. */
  static ParamSlot inputKernel(String gate, Shape input, int h) {
    return ParamSlot.nested(gate + "Kernel", "cell/" + gate + "/kernel", List.of(input.last(), Dim.of(h)),
        CodeBlock.of("$T.lecunNormal()", Runtime.INITIALIZERS));
  }

  /** A recurrent kernel {@code cell/<gate>/kernel} [H, H]. */
  static ParamSlot recurrentKernel(String gate, int h) {
    return ParamSlot.nested(gate + "Kernel", "cell/" + gate + "/kernel", List.of(Dim.of(h), Dim.of(h)),
        CodeBlock.of("$T.orthogonal()", Runtime.INITIALIZERS));
  }

  /** A bias {@code cell/<gate>/bias} [H]. */
  static ParamSlot bias(String gate, int h) {
    return ParamSlot.nested(gate + "Bias", "cell/" + gate + "/bias", List.of(Dim.of(h)),
        CodeBlock.of("$T.zeros()", Runtime.INITIALIZERS));
  }

  /** A {@code [B, T, n]} scratch buffer over the input's time axis. */
  static Shape perStep(Emitter.Step e, long n) {
    return new Shape(List.of(Dim.BATCH, e.inputShape().dim(1), Dim.of(n)));
  }

  static Shape perRow(long n) {
    return new Shape(List.of(Dim.BATCH, Dim.of(n)));
  }
}
