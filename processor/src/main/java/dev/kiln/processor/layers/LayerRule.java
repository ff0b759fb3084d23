package dev.kiln.processor.layers;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import java.util.List;

/**
 * Everything Kiln knows about one layer kind: its shape rule, its parameters and initialisers, and
 * the forward and backward code it generates. A layer kind is its annotation plus one rule; rules
 * are found with {@link java.util.ServiceLoader}, so other libraries can add layers.
 */
public interface LayerRule {
  ClassName NO_PARAMS = ClassName.get("dev.kiln.runtime.nn", "NoParams");

  /** The fully qualified name of the layer annotation this rule serves. */
  String annotation();

  /** Checks the attributes against the input shape and infers the output shape. */
  Inference infer(LayerSpec layer, Shape input);

  /** A short description for summaries and messages, e.g. {@code Dense(10, relu)}. */
  String describe(LayerSpec layer);

  /** The record type holding this layer's parameters; {@link #NO_PARAMS} when it has none. */
  default ClassName paramsType(LayerSpec layer) {
    return NO_PARAMS;
  }

  /** The parameter record's constructor arguments, in Flax's creation order. */
  default List<ParamSlot> params(LayerSpec layer, Shape input) {
    return List.of();
  }

  /** Whether the output is a view of the input (a reshape) rather than a buffer the layer fills. */
  default boolean outputIsView() {
    return false;
  }

  /** Whether the layer behaves differently in training and evaluation (dropout, batch statistics). */
  default boolean usesMode() {
    return false;
  }

  /** Floating-point operations per example, as a summary reports them. */
  default long flopsPerExample(LayerSpec layer, Shape input, Shape output) {
    return 0;
  }

  /** Emits the forward computation (layers whose output is a buffer). */
  default void forward(LayerSpec layer, Emitter.Forward e) {
    throw new UnsupportedOperationException(annotation() + " produces a view, not a buffer");
  }

  /** Emits the backward computation: the input cotangent and parameter gradients. */
  default void backward(LayerSpec layer, Emitter.Backward e) {
    throw new UnsupportedOperationException(annotation() + " produces a view, not a buffer");
  }

  /** For layers whose output is a view: the expression viewing {@code source} in the output shape. */
  default CodeBlock view(LayerSpec layer, CodeBlock source, CodeBlock shape) {
    throw new UnsupportedOperationException(annotation() + " does not produce a view");
  }
}
