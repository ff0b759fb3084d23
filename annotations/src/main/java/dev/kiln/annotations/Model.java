package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a record as a network. Its components, in declaration order, are the layers; each
 * component's type holds that layer's parameters, so the record itself is the parameter tree.
 *
 * <p>Shapes are written without the batch axis, as comma-separated dimensions: a number or a
 * symbol ({@code "28,28,1"}, {@code "T,64"}). The batch axis {@code B} is implicit. The processor
 * infers every layer's shape and reports a mismatch as a compiler error on the offending component.
 *
 * <pre>{@code
 * @Model(input = "784", output = "10")
 * public record Mlp(
 *     @Dense(features = 256, activation = RELU) DenseParams hidden,
 *     @Dense(features = 10) DenseParams logits) {}
 * }</pre>
 *
 * <p>For a record {@code Mlp} the processor generates {@code MlpModel} (init, apply, forward,
 * backward, summary, Flax path conversion) and {@code MlpTrainer} (the compiled training step).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Model {
  /** The input shape without the batch axis, e.g. {@code "28,28,1"}. */
  String input();

  /**
   * The output shape the layers must produce, without the batch axis; empty to accept whatever they
   * produce. With several {@link Output} components, their shapes separated by {@code ";"} in
   * declaration order.
   */
  String output() default "";
}
