package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.ClassName;
import dev.kiln.processor.model.Shape;
import java.util.List;

/** {@code @Lstm}: Flax's {@code LSTMCell} (gates i, f, g, o; carry (c, h)) run over time with lengths. */
@AutoService(LayerRule.class)
public final class LstmRule extends RecurrentRule {
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
  ClassName ops(boolean bidirectional) {
    return ClassName.get("dev.kiln.runtime.nn", bidirectional ? "BidirectionalLstmOps" : "LstmOps");
  }

  @Override
  ClassName params(boolean bidirectional) {
    return ClassName.get("dev.kiln.runtime.nn", bidirectional ? "BidirectionalLstmParams" : "LstmParams");
  }

  /** {@code ii}, {@code hi}, {@code if}, {@code hf}, {@code ig}, {@code hg}, {@code io}, {@code ho}. */
  @Override
  List<ParamSlot> cellSlots(Cell c, Shape input, int h) {
    return List.of(
        c.inputKernel("ii", input, h), c.recurrentKernel("hi", h), c.bias("hi", h),
        c.inputKernel("if", input, h), c.recurrentKernel("hf", h), c.bias("hf", h),
        c.inputKernel("ig", input, h), c.recurrentKernel("hg", h), c.bias("hg", h),
        c.inputKernel("io", input, h), c.recurrentKernel("ho", h), c.bias("ho", h));
  }

  @Override
  String stateBuffer() {
    return "Cells";
  }

  @Override
  int carryWidth(int h) {
    return 2 * h;
  }

  @Override
  String initialCarry() {
    return "";
  }
}
