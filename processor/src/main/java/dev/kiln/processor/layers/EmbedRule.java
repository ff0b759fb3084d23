package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import dev.kiln.processor.model.ShapeText;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code @Embed}: Flax's {@code nn.Embed}. It also fills the shared {@code lengths} buffer (each
 * row's non-padding tokens) that recurrent layers after it read.
 */
@AutoService(LayerRule.class)
public final class EmbedRule implements LayerRule {
  static final String LENGTHS = "lengths";
  private static final ClassName OPS = ClassName.get("dev.kiln.runtime.nn", "EmbedOps");
  private static final ClassName PARAMS = ClassName.get("dev.kiln.runtime.nn", "EmbedParams");

  @Override
  public String annotation() {
    return "dev.kiln.annotations.Embed";
  }

  @Override
  public Inference infer(LayerSpec layer, Shape input) {
    int features = layer.intValue("features");
    if (features <= 0) {
      return Inference.error("features", "@Embed needs a positive number of features, found " + features);
    }
    try {
      vocab(layer);
    } catch (IllegalArgumentException e) {
      return Inference.error("vocab", "@Embed vocab: " + e.getMessage());
    }
    if (input.rank() != 2) {
      return Inference.error(null, "@Embed needs token ids (B,T), found " + input);
    }
    List<Dim> dims = new ArrayList<>(input.dims());
    dims.add(Dim.of(features));
    Shape output = new Shape(dims);
    return Inference.ok(output, describe(layer) + ": " + input + " -> " + output);
  }

  @Override
  public String describe(LayerSpec layer) {
    return "Embed(" + layer.stringValue("vocab") + ", " + layer.intValue("features") + ")";
  }

  @Override
  public ClassName paramsType(LayerSpec layer) {
    return PARAMS;
  }

  @Override
  public List<ParamSlot> params(LayerSpec layer, Shape input) {
    return List.of(new ParamSlot("embedding", List.of(vocab(layer), Dim.of(layer.intValue("features"))),
        CodeBlock.of("$T.embedDefault()", Runtime.INITIALIZERS), true));
  }

  @Override
  public void forward(LayerSpec layer, Emitter.Forward e) {
    e.add("$T.forward($L, $L, $L, $L)", OPS, e.input(), e.param("embedding"), e.output(),
        e.shared(LENGTHS, new Shape(List.of(Dim.BATCH))));
  }

  @Override
  public void backward(LayerSpec layer, Emitter.Backward e) {
    // token ids have no cotangent: only the table gets a gradient
    e.add("$T.backward($L, $L, $L)", OPS, e.input(), e.gradOutput(), e.gradParam("embedding"));
  }

  private static Dim vocab(LayerSpec layer) {
    List<Dim> dims = ShapeText.parse(layer.stringValue("vocab"));
    if (dims.size() != 1) {
      throw new IllegalArgumentException("expected one size or symbol, found \"" + layer.stringValue("vocab") + "\"");
    }
    return dims.get(0);
  }
}
