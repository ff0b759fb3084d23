package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import java.util.List;

/** {@code @GaussianSample}: {@code z = mean + exp(logStd) * eps} from {@code [mean, logStd]}. */
@AutoService(LayerRule.class)
public final class GaussianSampleRule implements LayerRule {
  private static final ClassName OPS = ClassName.get("dev.kiln.runtime.nn", "GaussianSampleOps");

  @Override
  public String annotation() {
    return "dev.kiln.annotations.GaussianSample";
  }

  @Override
  public Inference infer(LayerSpec layer, Shape input) {
    if (input.rank() != 2 || !input.last().isKnown() || input.last().size() % 2 != 0) {
      return Inference.error(null, "@GaussianSample needs (B,2L): a mean and a log-std per latent value, found "
          + input);
    }
    Shape output = new Shape(List.of(Dim.BATCH, Dim.of(input.last().size() / 2)));
    return Inference.ok(output, describe(layer) + ": " + input + " -> " + output);
  }

  @Override
  public String describe(LayerSpec layer) {
    return "GaussianSample";
  }

  @Override
  public boolean usesMode() {
    return true;
  }

  @Override
  public long flopsPerExample(LayerSpec layer, Shape input, Shape output) {
    return 3 * output.perExampleSize();
  }

  @Override
  public void forward(LayerSpec layer, Emitter.Forward e) {
    e.add("$T.forward($L, $L, $L, $L)", OPS, e.input(), e.rngKey("noise"), e.scratch("Eps", null), e.output());
  }

  @Override
  public void backward(LayerSpec layer, Emitter.Backward e) {
    e.add("$T.backward($L, $L, $L, $L)", OPS, e.input(), e.output(), e.gradOutput(), e.gradInput());
  }
}
