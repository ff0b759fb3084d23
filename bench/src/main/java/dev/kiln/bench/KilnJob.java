package dev.kiln.bench;

import dev.kiln.examples.ConvVae;
import dev.kiln.examples.ConvVaeModel;
import dev.kiln.examples.FashionCnnModel;
import dev.kiln.examples.FashionLeNetModel;
import dev.kiln.examples.GanDiscriminator;
import dev.kiln.examples.GanDiscriminatorModel;
import dev.kiln.examples.GanGenerator;
import dev.kiln.examples.GanGeneratorModel;
import dev.kiln.examples.SentimentLstmModel;
import dev.kiln.examples.W3Vae;
import dev.kiln.examples.W3VaeModel;
import dev.kiln.runtime.loss.Loss;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.loss.VaeLoss;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.model.TrainStep;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.OptimizerState;
import dev.kiln.runtime.random.PRNGKey;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
      case W3 -> w3(w, data);
      case W3C -> w3c(w, data);
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

  /** The examples' VAE step: forward, negative ELBO and its cotangents, backward, Adam. */
  private static Runnable w3(Workload w, SyntheticData data) {
    W3VaeModel model = W3VaeModel.INSTANCE;
    W3Vae params = model.init(PRNGKey.of(0));
    W3Vae grads = model.zerosLike(params);
    INDArray[] x = images(w, data);
    W3VaeModel.Tape t = model.tape(x[0]);
    return vaeStep(model, params, grads, step -> {
      t.noiseKey = PRNGKey.of(1).foldIn(step);
      W3VaeModel.Outputs out = model.forward(params, x[step % x.length], t);
      VaeLoss.valueAndGradients(out.decoder(), x[step % x.length], out.mean(), out.logStd(), t.dDecoder, t.dMean,
          t.dLogStd);
      model.backward(params, t, new W3VaeModel.Outputs(t.dMean, t.dLogStd, t.dDecoder), grads, false);
    });
  }

  private static Runnable w3c(Workload w, SyntheticData data) {
    ConvVaeModel model = ConvVaeModel.INSTANCE;
    ConvVae params = model.init(PRNGKey.of(0));
    ConvVae grads = model.zerosLike(params);
    INDArray[] x = images(w, data);
    ConvVaeModel.Tape t = model.tape(x[0]);
    return vaeStep(model, params, grads, step -> {
      t.noiseKey = PRNGKey.of(1).foldIn(step);
      ConvVaeModel.Outputs out = model.forward(params, x[step % x.length], t);
      VaeLoss.valueAndGradients(out.decoder(), x[step % x.length], out.mean(), out.logStd(), t.dDecoder, t.dMean,
          t.dLogStd);
      model.backward(params, t, new ConvVaeModel.Outputs(t.dMean, t.dLogStd, t.dDecoder), grads, false);
    });
  }

  private static <P extends Record> Runnable vaeStep(ModelDefinition<P> model, P params, P grads,
      java.util.function.IntConsumer gradients) {
    List<INDArray> leaves = model.leaves(params);
    List<INDArray> gradLeaves = model.leaves(grads);
    Optimizer adam = Optax.adam(1e-3);
    OptimizerState state = adam.init(leaves);
    int[] step = {0};
    return () -> {
      gradients.accept(step[0]++);
      adam.update(leaves, gradLeaves, state);
    };
  }

  /** The examples' GAN step: one discriminator update on real and fake, then one generator update through D. */
  private static Runnable gan(Workload w, SyntheticData data) {
    GanGeneratorModel g = GanGeneratorModel.INSTANCE;
    GanDiscriminatorModel d = GanDiscriminatorModel.INSTANCE;
    Loss bce = Losses.sigmoidBinaryCrossEntropy();
    PRNGKey[] keys = PRNGKey.of(0).split(2);
    GanGenerator gp = g.init(keys[0]);
    GanDiscriminator dp = d.init(keys[1]);
    GanGenerator gGrads = g.zerosLike(gp);
    GanDiscriminator dGrads = d.zerosLike(dp);
    GanDiscriminator dGradsFake = d.zerosLike(dp);
    List<INDArray> gLeaves = g.leaves(gp);
    List<INDArray> dLeaves = d.leaves(dp);
    List<INDArray> gGradLeaves = g.leaves(gGrads);
    List<INDArray> dGradLeaves = d.leaves(dGrads);
    List<INDArray> dGradFakeLeaves = d.leaves(dGradsFake);
    Optimizer gAdam = Optax.adam(2e-4, 0.5, 0.999, 1e-8);
    Optimizer dAdam = Optax.adam(2e-4, 0.5, 0.999, 1e-8);
    OptimizerState gState = gAdam.init(gLeaves);
    OptimizerState dState = dAdam.init(dLeaves);
    INDArray[] real = new INDArray[SyntheticData.BATCHES];
    INDArray[] codes = new INDArray[SyntheticData.BATCHES];
    for (int i = 0; i < real.length; i++) {
      real[i] = data.images(w.batch, -1, 1).reshape(w.batch, 784);
      codes[i] = data.normal(w.batch, Workload.CODE);
    }
    INDArray ones = Nd4j.ones(real[0].dataType(), w.batch, 1);
    INDArray zeros = Nd4j.zeros(real[0].dataType(), w.batch, 1);
    GanGeneratorModel.Tape gt = g.tape(codes[0]);
    GanDiscriminatorModel.Tape realTape = d.tape(real[0]);
    GanDiscriminatorModel.Tape fakeTape = d.tape(real[0]);
    return cycling(i -> {
      INDArray fake = g.forward(gp, codes[i], gt);
      bce.valueAndGradient(d.forward(dp, real[i], realTape), ones, realTape.dLogit);
      d.backward(dp, realTape, realTape.dLogit, dGrads, false);
      bce.valueAndGradient(d.forward(dp, fake, fakeTape), zeros, fakeTape.dLogit);
      d.backward(dp, fakeTape, fakeTape.dLogit, dGradsFake, false);
      for (int leaf = 0; leaf < dGradLeaves.size(); leaf++) {
        dGradLeaves.get(leaf).addi(dGradFakeLeaves.get(leaf));
      }
      dAdam.update(dLeaves, dGradLeaves, dState);
      bce.valueAndGradient(d.forward(dp, fake, fakeTape), ones, fakeTape.dLogit);
      INDArray dFake = d.backward(dp, fakeTape, fakeTape.dLogit, dGradsFake, true);
      g.backward(gp, gt, dFake, gGrads, false);
      gAdam.update(gLeaves, gGradLeaves, gState);
    });
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
