package dev.kiln.processor.layers;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import java.util.List;
import java.util.stream.Collectors;

/** {@code @Reshape}: a new per-example shape with the same element count, as a view. */
@AutoService(LayerRule.class)
public final class ReshapeRule implements LayerRule {
  @Override
  public String annotation() {
    return "dev.kiln.annotations.Reshape";
  }

  @Override
  public Inference infer(LayerSpec layer, Shape input) {
    List<Integer> target = layer.intList("value");
    if (target.isEmpty() || target.stream().anyMatch(d -> d <= 0)) {
      return Inference.error("value", "@Reshape needs positive sizes, found " + text(target));
    }
    long wanted = target.stream().mapToLong(Integer::longValue).reduce(1, Math::multiplyExact);
    long have = input.perExampleSize();
    if (have < 0) {
      return Inference.error(null, "@Reshape needs known sizes after the batch axis, found " + input);
    }
    if (wanted != have) {
      return Inference.mismatch("value", "@Reshape" + text(target) + " needs " + wanted
          + " elements per example but its input " + input + " has " + have);
    }
    Shape output = Shape.batched(target.stream().mapToLong(Integer::longValue).toArray());
    return Inference.ok(output, "Reshape: " + input + " -> " + output);
  }

  @Override
  public String describe(LayerSpec layer) {
    return "Reshape" + text(layer.intList("value"));
  }

  @Override
  public boolean outputIsView() {
    return true;
  }

  @Override
  public CodeBlock view(LayerSpec layer, CodeBlock source, CodeBlock shape) {
    return CodeBlock.of("$L.reshape('c', $L)", source, shape);
  }

  private static String text(List<Integer> dims) {
    return dims.stream().map(String::valueOf).collect(Collectors.joining(",", "(", ")"));
  }
}
