package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import java.util.List;

/** {@code @Lstm}: Flax's {@code LSTMCell} (gates i, f, g, o; carry (c, h)) run over time with lengths. */
@AutoService(LayerRule.class)
public final class LstmRule extends RecurrentRule {
  private static final ClassName OPS = ClassName.get("dev.kiln.runtime.nn", "LstmOps");
  private static final ClassName PARAMS = ClassName.get("dev.kiln.runtime.nn", "LstmParams");

  @Override
  public String annotation() {
    return "dev.kiln.annotations.Lstm";
  }

  @Override
  String cell() {
    return "Lstm";
  }

  @Override
  int gates() {
    return 4;
  }

  @Override
  public ClassName paramsType() {
    return PARAMS;
  }

  /** In Flax's creation order: {@code ii}, {@code hi}, {@code if}, {@code hf}, {@code ig}, {@code hg}, {@code io}, {@code ho}. */
  @Override
  public List<ParamSlot> params(LayerSpec layer, Shape input) {
    int h = layer.intValue("features");
    return List.of(
        inputKernel("ii", input, h), recurrentKernel("hi", h), bias("hi", h),
        inputKernel("if", input, h), recurrentKernel("hf", h), bias("hf", h),
        inputKernel("ig", input, h), recurrentKernel("hg", h), bias("hg", h),
        inputKernel("io", input, h), recurrentKernel("ho", h), bias("ho", h));
  }

  @Override
  public void forward(LayerSpec layer, Emitter.Forward e) {
    int h = layer.intValue("features");
    e.add("$T.forward($L, $L, $L, $L, $L, $L, $L)", OPS, e.input(), e.params(), e.sharedOrNull(EmbedRule.LENGTHS),
        e.scratch("Gates", perStep(e, 4L * h)), e.scratch("Cells", perStep(e, h)), e.scratch("Hiddens", perStep(e, h)),
        e.output());
  }

  @Override
  public void backward(LayerSpec layer, Emitter.Backward e) {
    int h = layer.intValue("features");
    e.add("$T.backward($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)", OPS, e.input(), e.params(),
        e.sharedOrNull(EmbedRule.LENGTHS), e.scratch("Gates"), e.scratch("Cells"), e.scratch("Hiddens"),
        e.buffer("Work", perRow(4L * h)), e.buffer("Carry", perRow(2L * h)), e.gradOutput(), e.gradInput(),
        e.gradParams());
  }
}
