package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import java.util.List;

/**
 * {@code @BatchNorm}: Flax's {@code nn.BatchNorm} over the last axis, with batch statistics in
 * training and running statistics (state, saved with the parameters) in evaluation.
 */
@AutoService(LayerRule.class)
public final class BatchNormRule implements LayerRule {
  private static final ClassName OPS = ClassName.get("dev.kiln.runtime.nn", "BatchNormOps");
  private static final ClassName VARS = ClassName.get("dev.kiln.runtime.nn", "BatchNormVars");

  @Override
  public String annotation() {
    return "dev.kiln.annotations.BatchNorm";
  }

  @Override
  public Inference infer(LayerSpec layer, Shape input) {
    double momentum = number(layer, "momentum");
    if (!(momentum >= 0 && momentum <= 1)) {
      return Inference.error("momentum", "@BatchNorm momentum must be in [0, 1], found " + momentum);
    }
    double epsilon = number(layer, "epsilon");
    if (!(epsilon > 0)) {
      return Inference.error("epsilon", "@BatchNorm epsilon must be positive, found " + epsilon);
    }
    if (!input.last().isKnown()) {
      return Inference.error(null, "@BatchNorm needs a known number of features on the last axis, found " + input);
    }
    return Inference.ok(input, describe(layer) + " keeps the shape " + input);
  }

  @Override
  public String describe(LayerSpec layer) {
    return "BatchNorm";
  }

  @Override
  public ClassName paramsType(LayerSpec layer) {
    return VARS;
  }

  @Override
  public boolean usesMode() {
    return true;
  }

  @Override
  public List<ParamSlot> params(LayerSpec layer, Shape input) {
    List<Dim> features = List.of(input.last());
    long c = input.last().size();
    return List.of(
        new ParamSlot("scale", features, CodeBlock.of("$T.ones()", Runtime.INITIALIZERS), true),
        new ParamSlot("bias", features, CodeBlock.of("$T.zeros()", Runtime.INITIALIZERS), true),
        ParamSlot.state("mean", features, CodeBlock.of("$T.zeros($T.FLOAT, $LL)", Runtime.ND4J, Runtime.DATA_TYPE, c)),
        ParamSlot.state("var", features, CodeBlock.of("$T.ones($T.FLOAT, $LL)", Runtime.ND4J, Runtime.DATA_TYPE, c)));
  }

  @Override
  public long flopsPerExample(LayerSpec layer, Shape input, Shape output) {
    return 4 * output.perExampleSize();
  }

  @Override
  public void forward(LayerSpec layer, Emitter.Forward e) {
    Shape features = new Shape(List.of(e.inputShape().last()));
    e.add("$T.forward(t.training, $L, $L, $L, $L, $L, $L, $L, $L)", OPS, e.input(), e.params(), number(layer, "momentum"),
        number(layer, "epsilon"), e.scratch("Mean", features), e.scratch("InvStd", features),
        e.scratch("Xhat", e.inputShape()), e.output());
  }

  @Override
  public void backward(LayerSpec layer, Emitter.Backward e) {
    // the op needs dx as its scratch even when no one wants the input's cotangent
    CodeBlock dx = e.gradInputOptional()
        ? CodeBlock.of("$T.orScratch($L, $L)", Runtime.MODEL_SUPPORT, e.gradInput(), e.buffer("Dx", e.inputShape()))
        : e.gradInput();
    e.add("$T.backward($L, $L.params(), $L, $L, $L, $L.params())", OPS, e.gradOutput(), e.params(),
        e.scratch("InvStd"), e.scratch("Xhat"), dx, e.gradParams());
  }

  private static double number(LayerSpec layer, String name) {
    return ((Number) layer.attributes().get(name)).doubleValue();
  }
}
