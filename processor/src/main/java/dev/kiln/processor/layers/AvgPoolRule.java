package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.LayerSpec;

/** {@code @AvgPool}: Flax's {@code nn.avg_pool}, counting padding in the divisor unless told not to. */
@AutoService(LayerRule.class)
public final class AvgPoolRule extends PoolRule {
  @Override
  public String annotation() {
    return "dev.kiln.annotations.AvgPool";
  }

  @Override
  String op() {
    return "avg";
  }

  @Override
  CodeBlock extraArguments(LayerSpec layer) {
    return CodeBlock.of(", $L", layer.boolValue("countIncludePad"));
  }
}
