package dev.kiln.spark;

import dev.kiln.runtime.loss.Loss;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.optim.Optimizer;
import java.io.Serializable;
import java.util.Objects;

/**
 * What every replica builds for itself: the generated model (e.g. {@code () -> TinyNetModel.INSTANCE}),
 * the loss and the optimizer.
 */
public record Recipe<P extends Record>(
    Factory<? extends ModelDefinition<P>> model, Factory<? extends Loss> loss, Factory<? extends Optimizer> optimizer)
    implements Serializable {
  public Recipe {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(optimizer, "optimizer");
  }
}
