package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.LayerSpec;

/** {@code @MaxPool}: Flax's {@code nn.max_pool}. */
@AutoService(LayerRule.class)
public final class MaxPoolRule extends PoolRule {
  @Override
  public String annotation() {
    return "dev.kiln.annotations.MaxPool";
  }

  @Override
  String op() {
    return "max";
  }

  @Override
  CodeBlock extraArguments(LayerSpec layer) {
    return CodeBlock.of("");
  }
}
