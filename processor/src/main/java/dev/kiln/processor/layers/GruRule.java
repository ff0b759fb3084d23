package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import dev.kiln.processor.model.Shape;
import java.util.List;

/** {@code @Gru}: Flax's {@code GRUCell} (gates r, z, n; carry h) run over time with lengths. */
@AutoService(LayerRule.class)
public final class GruRule extends RecurrentRule {
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
  ClassName ops(boolean bidirectional) {
    return ClassName.get("dev.kiln.runtime.nn", bidirectional ? "BidirectionalGruOps" : "GruOps");
  }

  @Override
  ClassName params(boolean bidirectional) {
    return ClassName.get("dev.kiln.runtime.nn", bidirectional ? "BidirectionalGruParams" : "GruParams");
  }

  /** {@code ir}, {@code hr}, {@code iz}, {@code hz}, {@code in}, {@code hn}. */
  @Override
  List<ParamSlot> cellSlots(Cell c, Shape input, int h) {
    return List.of(
        c.inputKernel("ir", input, h), c.bias("ir", h), c.recurrentKernel("hr", h),
        c.inputKernel("iz", input, h), c.bias("iz", h), c.recurrentKernel("hz", h),
        c.inputKernel("in", input, h), c.bias("in", h), c.recurrentKernel("hn", h), c.bias("hn", h));
  }

  @Override
  String stateBuffer() {
    return "HnPre";
  }

  @Override
  int carryWidth(int h) {
    return h;
  }

  /** The initial carry h0: none (zeros). */
  @Override
  String initialCarry() {
    return "null, ";
  }
}
