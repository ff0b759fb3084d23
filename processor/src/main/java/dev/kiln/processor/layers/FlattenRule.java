package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;

/** {@code @Flatten}: every axis after the batch axis into one, as a view. */
@AutoService(LayerRule.class)
public final class FlattenRule implements LayerRule {
  @Override
  public String annotation() {
    return "dev.kiln.annotations.Flatten";
  }

  @Override
  public Inference infer(LayerSpec layer, Shape input) {
    long size = input.perExampleSize();
    if (size < 0) {
      return Inference.error(null, "@Flatten needs known sizes after the batch axis, found " + input);
    }
    Shape output = Shape.batched(size);
    return Inference.ok(output, "Flatten: " + input + " -> " + output);
  }

  @Override
  public String describe(LayerSpec layer) {
    return "Flatten";
  }

  @Override
  public boolean outputIsView() {
    return true;
  }

  @Override
  public CodeBlock view(LayerSpec layer, CodeBlock source, CodeBlock shape) {
    return CodeBlock.of("$L.reshape('c', $L)", source, shape);
  }
}
