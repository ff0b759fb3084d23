package dev.kiln.processor.model;

import dev.kiln.processor.layers.ParamSlot;
import java.util.List;

/**
 * A model after shape inference: every value with its shape, the steps in forward order, the
 * outputs and the parameters. Writers render it; nothing here depends on javac.
 */
public record Network(ModelSpec spec, Value input, List<Step> steps, List<Value> outputs, List<ComponentParams> params) {
  public Network {
    steps = List.copyOf(steps);
    outputs = List.copyOf(outputs);
    params = List.copyOf(params);
  }

  /** The number of trainable parameters. */
  public long parameterCount() {
    long n = 0;
    for (ComponentParams p : params) {
      n += p.subModel() != null ? p.subModel().parameterCount()
          : p.slots().stream().filter(ParamSlot::trainable).mapToLong(s -> Math.max(s.count(), 0)).sum();
    }
    return n;
  }

  /** The symbols that size this model's own parameters (a vocabulary {@code V}), in order. */
  public List<String> parameterSymbols() {
    java.util.Set<String> symbols = new java.util.LinkedHashSet<>();
    for (ComponentParams p : params) {
      for (ParamSlot s : p.slots()) {
        s.shape().stream().filter(d -> !d.isKnown()).forEach(d -> symbols.add(d.symbol()));
      }
    }
    return List.copyOf(symbols);
  }

  /** Whether some component, here or in a sub-model, holds state such as running statistics. */
  public boolean hasState() {
    return params.stream().anyMatch(p -> p.subModel() != null ? p.subModel().hasState()
        : p.slots().stream().anyMatch(s -> s.present() && !s.trainable()));
  }

  /** Whether some layer, here or in a sub-model, behaves differently in training and evaluation. */
  public boolean usesMode() {
    return steps.stream().anyMatch(s -> s.isSubModel() ? s.subModel().usesMode() : s.rule().usesMode());
  }

  /** Whether the input is token ids: every layer that reads it is an embedding. */
  public boolean takesTokenIds() {
    List<Step> readers = steps.stream().filter(s -> s.input() == input).toList();
    return !readers.isEmpty() && readers.stream()
        .allMatch(s -> !s.isSubModel() && s.layer().annotation().equals("dev.kiln.annotations.Embed"));
  }

  public boolean hasSingleOutput() {
    return outputs.size() == 1;
  }
}
