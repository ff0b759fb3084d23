package dev.kiln.bench;

import dev.kiln.examples.FashionCnnModel;
import dev.kiln.examples.FashionLeNetModel;
import dev.kiln.examples.Gan;
import dev.kiln.examples.GanDiscriminatorModel;
import dev.kiln.examples.GanGeneratorModel;
import dev.kiln.examples.GanStep;
import dev.kiln.examples.SentimentLstmModel;
import dev.kiln.examples.Vae;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.model.TrainStep;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.OptimizerState;
import dev.kiln.runtime.random.PRNGKey;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A child process: trains Kiln's generated model for one workload on synthetic batches and prints
 * its {@link Measurement}. Arguments: workload id, seconds, warm-up steps.
 */
final class KilnJob {
  private KilnJob() {}

  public static void main(String[] args) {
    Workload w = Workload.of(args[0]);
    StepLoop.run(step(w, new SyntheticData()), Integer.parseInt(args[2]), Double.parseDouble(args[1]),
        w.itemsPerStep());
  }

  /** One training step of the workload as the examples' CLI trains it, cycling through synthetic batches. */
  static Runnable step(Workload w, SyntheticData data) {
    PRNGKey key = PRNGKey.of(0);
    return switch (w) {
      case W1 -> classifier(FashionCnnModel.INSTANCE.trainer(FashionCnnModel.INSTANCE.init(key),
          Losses.softmaxCrossEntropy(), Optax.adam(1e-3)), w, data);
      case W1B -> classifier(FashionLeNetModel.INSTANCE.trainer(FashionLeNetModel.INSTANCE.init(key),
          Losses.softmaxCrossEntropy(), Optax.adam(1e-3)), w, data);
      case W2 -> sentiment(w, data);
      case W3 -> vae(Vae.MLP, w, data);
      case W3C -> vae(Vae.CONV, w, data);
      case W4 -> gan(w, data);
    };
  }

  private static Runnable classifier(TrainStep<?> trainer, Workload w, SyntheticData data) {
    INDArray[] x = new INDArray[SyntheticData.BATCHES];
    INDArray[] y = new INDArray[SyntheticData.BATCHES];
    for (int i = 0; i < x.length; i++) {
      x[i] = data.images(w.batch, 0, 1);
      y[i] = data.labels(w.batch, 10);
    }
    return cycling(i -> trainer.step(x[i], y[i]));
  }

  private static Runnable sentiment(Workload w, SyntheticData data) {
    SentimentLstmModel model = SentimentLstmModel.INSTANCE;
    var trainer = model.trainer(model.init(PRNGKey.of(0), Workload.VOCABULARY), Losses.softmaxCrossEntropy(),
        Optax.adam(1e-3));
    INDArray[] x = new INDArray[SyntheticData.BATCHES];
    INDArray[] y = new INDArray[SyntheticData.BATCHES];
    for (int i = 0; i < x.length; i++) {
      x[i] = data.tokens(w.batch, Workload.SEQUENCE, Workload.VOCABULARY);
      y[i] = data.labels(w.batch, 2);
    }
    return cycling(i -> trainer.step(x[i], y[i]));
  }

  /** The examples' VAE step ({@link Vae.Kind#negativeElbo}: forward, loss, backward), then Adam. */
  private static <P extends Record> Runnable vae(Vae.Kind<P> kind, Workload w, SyntheticData data) {
    ModelDefinition<P> model = kind.definition();
    P params = model.init(PRNGKey.of(0));
    P grads = model.zerosLike(params);
    List<INDArray> leaves = model.leaves(params);
    List<INDArray> gradLeaves = model.leaves(grads);
    Optimizer adam = Optax.adam(1e-3);
    OptimizerState state = adam.init(leaves);
    INDArray[] x = images(w, data);
    int[] step = {0};
    return () -> {
      kind.negativeElbo(params, x[step[0] % x.length], PRNGKey.of(1).foldIn(step[0]), grads);
      step[0]++;
      adam.update(leaves, gradLeaves, state);
    };
  }

  /** The examples' GAN step ({@link GanStep}): a discriminator update on real and fake, then a generator update. */
  private static Runnable gan(Workload w, SyntheticData data) {
    PRNGKey[] keys = PRNGKey.of(0).split(2);
    INDArray[] real = new INDArray[SyntheticData.BATCHES];
    INDArray[] codes = new INDArray[SyntheticData.BATCHES];
    for (int i = 0; i < real.length; i++) {
      real[i] = data.images(w.batch, -1, 1).reshape(w.batch, 784);
      codes[i] = data.normal(w.batch, Gan.CODE);
    }
    var step = new GanStep<>(Gan.MLP, GanGeneratorModel.INSTANCE.init(keys[0]),
        GanDiscriminatorModel.INSTANCE.init(keys[1]), codes[0], real[0]);
    return cycling(i -> step.step(real[i], codes[i]));
  }

  private static INDArray[] images(Workload w, SyntheticData data) {
    INDArray[] x = new INDArray[SyntheticData.BATCHES];
    for (int i = 0; i < x.length; i++) {
      x[i] = data.images(w.batch, 0, 1);
    }
    return x;
  }

  /** A step that runs {@code body} on batch 0, 1, ..., {@link SyntheticData#BATCHES}-1, 0, ... */
  static Runnable cycling(java.util.function.IntConsumer body) {
    int[] next = {0};
    return () -> {
      body.accept(next[0]);
      next[0] = (next[0] + 1) % SyntheticData.BATCHES;
    };
  }
}
