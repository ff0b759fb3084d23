package dev.kiln.examples;

import dev.kiln.runtime.model.ModelDefinition;
import java.util.function.Consumer;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One of a GAN's two networks as the adversarial loop drives it: a generated model with its tape,
 * forward and backward (method references to the generated {@code XxxModel}), and how a tape is put
 * into training mode (a model with batch normalisation uses the batch's statistics while it trains).
 *
 * @param <P> the model's parameter record
 * @param <T> the generated model's tape
 */
public record GanNetwork<P extends Record, T>(ModelDefinition<P> model, Function<INDArray, T> tape, Forward<P, T> forward,
    Backward<P, T> backward, Consumer<T> trainingMode) {

  /** The generated {@code forward(params, input, tape)}. */
  public interface Forward<P, T> {
    INDArray run(P params, INDArray input, T tape);
  }

  /** The generated {@code backward(params, tape, dOutput, grads, needInputGradient)}. */
  public interface Backward<P, T> {
    INDArray run(P params, T tape, INDArray dOutput, P grads, boolean needInputGradient);
  }

  /** A tape for batches shaped like {@code input}, in training mode. */
  public T trainingTape(INDArray input) {
    T t = tape.apply(input);
    trainingMode.accept(t);
    return t;
  }
}
