package dev.kiln.runtime.train;

import dev.kiln.runtime.model.ModelDefinition;
import java.util.function.Consumer;

/**
 * Entry point of the training DSL:
 * <pre>{@code
 * var run = Train.of(FashionCnnModel.INSTANCE, t -> {
 *     t.data(FashionMnist.train(), 128);
 *     t.loss(Losses.softmaxCrossEntropy());
 *     t.optimizer(Optax.adam(1e-3));
 *     t.epochs(3);
 *     t.evaluate(FashionMnist.test(), Metrics.accuracy());
 *     t.checkpointEvery(Duration.ofMinutes(5));
 * });
 * }</pre>
 * The lambda fills a {@link TrainSpec}; the spec is validated against the model, then the run
 * happens at once and its result is returned.
 */
public final class Train {
  private Train() {}

  /** Configures, validates and runs training; returns the trained parameters and the history. */
  public static <P extends Record> TrainingResult<P> of(ModelDefinition<P> model, Consumer<TrainSpec<P>> configure) {
    TrainSpec<P> spec = new TrainSpec<>();
    configure.accept(spec);
    spec.validate(model);
    return new TrainingLoop<>(model, spec).run();
  }
}
