package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import java.util.List;

/** {@code @Dense}: Flax's {@code nn.Dense} on the last axis, with an optional activation. */
@AutoService(LayerRule.class)
public final class DenseRule implements LayerRule {
  @Override
  public String annotation() {
    return "dev.kiln.annotations.Dense";
  }

  @Override
  public Inference infer(LayerSpec layer, Shape input) {
    int features = layer.intValue("features");
    if (features <= 0) {
      return Inference.error("features", "@Dense needs a positive number of features, found " + features);
    }
    if (!input.last().isKnown()) {
      return Inference.error(null, "@Dense needs a known size on the last axis to size its kernel, found "
          + input + "; bind " + input.last() + " to a number in @Model's input");
    }
    Shape output = input.withLast(Dim.of(features));
    return Inference.ok(output, describe(layer) + " acts on the last axis: " + input + " -> " + output);
  }

  @Override
  public String describe(LayerSpec layer) {
    return "Dense(" + layer.intValue("features") + FusedActivation.describe(layer) + ")";
  }

  @Override
  public ClassName paramsType(LayerSpec layer) {
    return Runtime.DENSE_PARAMS;
  }

  @Override
  public List<ParamSlot> params(LayerSpec layer, Shape input) {
    return WindowedAffineRule.kernelAndBias(List.of(input.last(), Dim.of(layer.intValue("features"))), layer);
  }

  @Override
  public long flopsPerExample(LayerSpec layer, Shape input, Shape output) {
    long rows = output.perExampleSize() / output.last().size();
    long macs = rows * input.last().size() * output.last().size();
    return 2 * macs + (layer.boolValue("useBias") ? rows * output.last().size() : 0);
  }

  @Override
  public void forward(LayerSpec layer, Emitter.Forward e) {
    CodeBlock bias = WindowedAffineRule.bias(layer, e);
    e.add("$T.forward($L, $L, $L, $L)", Runtime.DENSE_OPS, e.input(), e.param("kernel"), bias,
        FusedActivation.affineTarget(layer, e));
    FusedActivation.forward(layer, e);
  }

  @Override
  public void backward(LayerSpec layer, Emitter.Backward e) {
    CodeBlock dBias = WindowedAffineRule.biasGradient(layer, e);
    CodeBlock dAffine = FusedActivation.backward(layer, e);
    e.add("$T.backward($L, $L, $L, $L, $L, $L)", Runtime.DENSE_OPS, e.input(), e.param("kernel"), dAffine,
        e.gradInput(), e.gradParam("kernel"), dBias);
  }
}
