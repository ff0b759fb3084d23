package dev.kiln.processor.layers;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.LayerSpec;
import java.util.Locale;

/**
 * The {@code activation} attribute of an affine layer (Dense, Conv): the affine part writes into a
 * {@code Pre} buffer that backward needs, then the activation writes the output. ReLU runs in place
 * on the output instead: its derivative is a step that the output gives as well as the
 * pre-activation ({@code relu(x) > 0} exactly where {@code x > 0}), so the tape keeps no {@code Pre}.
 */
final class FusedActivation {
  private FusedActivation() {}

  private static String name(LayerSpec layer) {
    return layer.stringValue("activation");
  }

  private static boolean none(LayerSpec layer) {
    return name(layer).equals("NONE");
  }

  private static boolean inPlace(LayerSpec layer) {
    return name(layer).equals("RELU");
  }

  /** {@code ", relu"} for summaries, or nothing. */
  static String describe(LayerSpec layer) {
    return none(layer) ? "" : ", " + name(layer).toLowerCase(Locale.ROOT);
  }

  /** Where the affine part writes: the output itself, or the pre-activation buffer. */
  static CodeBlock affineTarget(LayerSpec layer, Emitter.Forward e) {
    return none(layer) || inPlace(layer) ? e.output() : e.scratch("Pre", null);
  }

  /** Applies the activation to what the affine part wrote. */
  static void forward(LayerSpec layer, Emitter.Forward e) {
    if (!none(layer)) {
      e.add("$T.forward($T.$L, $L, $L)", Runtime.ACTIVATION_OPS, Runtime.ACTIVATION, name(layer),
          affineTarget(layer, e), e.output());
    }
  }

  /** Takes the activation's backward step and returns the cotangent of the affine part's result. */
  static CodeBlock backward(LayerSpec layer, Emitter.Backward e) {
    if (none(layer)) {
      return e.gradOutput();
    }
    CodeBlock pre = inPlace(layer) ? e.output() : e.scratch("Pre");
    CodeBlock dPre = inPlace(layer) ? e.buffer("PreGrad", e.outputShape()) : e.scratchGrad("Pre");
    e.add("$T.backward($T.$L, $L, $L, $L, $L)", Runtime.ACTIVATION_OPS, Runtime.ACTIVATION, name(layer),
        pre, e.output(), e.gradOutput(), dPre);
    return dPre;
  }
}
