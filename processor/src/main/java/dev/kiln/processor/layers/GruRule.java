package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import java.util.List;

/** {@code @Gru}: Flax's {@code GRUCell} (gates r, z, n; carry h) run over time with lengths. */
@AutoService(LayerRule.class)
public final class GruRule extends RecurrentRule {
  private static final ClassName OPS = ClassName.get("dev.kiln.runtime.nn", "GruOps");
  private static final ClassName PARAMS = ClassName.get("dev.kiln.runtime.nn", "GruParams");

  @Override
  public String annotation() {
    return "dev.kiln.annotations.Gru";
  }

  @Override
  String cell() {
    return "Gru";
  }

  @Override
  int gates() {
    return 3;
  }

  @Override
  public ClassName paramsType() {
    return PARAMS;
  }

  /** In Flax's creation order: {@code ir}, {@code hr}, {@code iz}, {@code hz}, {@code in}, {@code hn}. */
  @Override
  public List<ParamSlot> params(LayerSpec layer, Shape input) {
    int h = layer.intValue("features");
    return List.of(
        inputKernel("ir", input, h), bias("ir", h), recurrentKernel("hr", h),
        inputKernel("iz", input, h), bias("iz", h), recurrentKernel("hz", h),
        inputKernel("in", input, h), bias("in", h), recurrentKernel("hn", h), bias("hn", h));
  }

  @Override
  public void forward(LayerSpec layer, Emitter.Forward e) {
    int h = layer.intValue("features");
    e.add("$T.forward($L, $L, $L, null, $L, $L, $L, $L)", OPS, e.input(), e.params(), e.sharedOrNull(EmbedRule.LENGTHS),
        e.scratch("Gates", perStep(e, 3L * h)), e.scratch("HnPre", perStep(e, h)), e.scratch("Hiddens", perStep(e, h)),
        e.output());
  }

  @Override
  public void backward(LayerSpec layer, Emitter.Backward e) {
    int h = layer.intValue("features");
    e.add("$T.backward($L, $L, $L, null, $L, $L, $L, $L, $L, $L, $L, null, $L)", OPS, e.input(), e.params(),
        e.sharedOrNull(EmbedRule.LENGTHS), e.scratch("Gates"), e.scratch("HnPre"), e.scratch("Hiddens"),
        e.buffer("Work", perRow(3L * h)), e.buffer("Carry", perRow(h)), e.gradOutput(), e.gradInput(),
        e.gradParams());
  }
}
