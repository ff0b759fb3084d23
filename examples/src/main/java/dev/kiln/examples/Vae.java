package dev.kiln.examples;

import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Batches;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.loss.VaeLoss;
import dev.kiln.runtime.model.TapeCache;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.OptimizerState;
import dev.kiln.runtime.random.JaxRandom;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.ImageGrid;
import dev.kiln.runtime.train.LossCurve;
import dev.kiln.runtime.train.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * WORKLOADS.md W3 from the command line: the MLP VAE trained on Fashion-MNIST with its own step
 * (a model with three outputs takes a loss over all of them, which the generated trainer does not):
 * forward, the negative ELBO and its three cotangents, backward, Adam. Reports the test negative
 * ELBO per epoch and writes an 8x8 grid of samples after every epoch.
 */
final class Vae {
  private static final W3VaeModel MODEL = W3VaeModel.INSTANCE;
  private static final int LATENT = 50;

  private Vae() {}

  /** Trains and writes {@code params.safetensors}, {@code loss.png} and {@code samples-<epoch>.png}; returns the last test -ELBO. */
  static double train(Dataset train, Dataset test, int epochs, int batchSize, double learningRate, long seed, Path out,
      PrintStream console) throws IOException {
    Files.createDirectories(out);
    console.print(MODEL.summary());
    PRNGKey[] keys = PRNGKey.of(seed).split(4); // parameters, shuffling, noise, samples
    W3Vae params = MODEL.init(keys[0]);
    W3Vae grads = MODEL.zerosLike(params);
    List<INDArray> leaves = MODEL.leaves(params);
    List<INDArray> gradLeaves = MODEL.leaves(grads);
    Optimizer adam = Optax.adam(learningRate);
    OptimizerState state = adam.init(leaves);
    TapeCache<W3VaeModel.Tape> tapes = new TapeCache<>(MODEL::tape, W3VaeModel.Tape::fits);
    Batches batches = Batches.shuffled(train, batchSize, keys[1]);
    History history = new History();
    int step = 0;
    double testElbo = Double.NaN;
    for (int epoch = 1; epoch <= epochs; epoch++) {
      ProgressBar bar = ProgressBar.onConsole("epoch " + epoch + "/" + epochs, batches.count(),
          ProgressBar.Unit.COUNT, "img/s");
      double sum = 0;
      for (Iterator<Batch> it = batches.epoch(epoch); it.hasNext(); ) {
        INDArray x = it.next().features();
        W3VaeModel.Tape t = tapes.get(x);
        t.noiseKey = keys[2].foldIn(step++);
        double loss = step(t, params, x, grads);
        adam.update(leaves, gradLeaves, state);
        history.recordStep(loss);
        sum += loss;
        bar.status(String.format(Locale.ROOT, "-ELBO %.2f", loss));
        bar.advance(1, x.size(0));
      }
      bar.finish();
      testElbo = negativeElbo(params, test, batchSize, tapes, keys[2].foldIn(-epoch));
      history.recordEpoch(Map.of("train_loss", sum / batches.count(), "test_neg_elbo", testElbo));
      console.printf(Locale.ROOT, "epoch %d/%d:  train -ELBO %.2f  test -ELBO %.2f nats per image%n", epoch, epochs,
          sum / batches.count(), testElbo);
      ImageGrid.writePng(samples(params, keys[3], 64), 8, out.resolve("samples-" + epoch + ".png"));
    }
    ParameterFiles.save(out.resolve("params.safetensors"), MODEL.variables(params));
    LossCurve.writePng(history, out.resolve("loss.png"));
    console.println("parameters: " + out.resolve("params.safetensors") + "   samples: " + out.resolve("samples-"
        + epochs + ".png") + "   loss curve: " + out.resolve("loss.png"));
    return testElbo;
  }

  /** Forward, loss and backward on one batch; the gradients land in {@code grads}. */
  private static double step(W3VaeModel.Tape t, W3Vae params, INDArray x, W3Vae grads) {
    W3VaeModel.Outputs out = MODEL.forward(params, x, t);
    double loss = VaeLoss.valueAndGradients(out.decoder(), x, out.mean(), out.logStd(), t.dDecoder, t.dMean, t.dLogStd);
    MODEL.backward(params, t, new W3VaeModel.Outputs(t.dMean, t.dLogStd, t.dDecoder), grads, false);
    return loss;
  }

  /** The negative ELBO per image over a dataset, one noise draw per image. */
  static double negativeElbo(W3Vae params, Dataset data, int batchSize, TapeCache<W3VaeModel.Tape> tapes,
      PRNGKey key) {
    double total = 0;
    int batch = 0;
    for (Iterator<Batch> it = Batches.sequential(data, batchSize).epoch(1); it.hasNext(); batch++) {
      INDArray x = it.next().features();
      W3VaeModel.Tape t = tapes.get(x);
      t.noiseKey = key.foldIn(batch);
      W3VaeModel.Outputs out = MODEL.forward(params, x, t);
      total += x.size(0) * VaeLoss.valueAndGradients(out.decoder(), x, out.mean(), out.logStd(), t.dDecoder, t.dMean,
          t.dLogStd);
    }
    return total / data.size();
  }

  /** {@code n} images decoded from codes drawn from the prior N(0, I), as pixel intensities. */
  static INDArray samples(W3Vae params, PRNGKey key, int n) {
    INDArray z = JaxRandom.normal(key, n, LATENT);
    INDArray logits = W3DecoderModel.INSTANCE.apply(params.decoder(), z);
    return Transforms.sigmoid(logits, false).reshape(n, 28, 28, 1);
  }

  /** The CLI's entry: Fashion-MNIST resolved as usual. */
  static void train(Path dataDir, int epochs, int batchSize, double learningRate, long seed, Path out,
      PrintStream console) throws IOException {
    Dataset train = dataDir == null ? FashionMnist.train() : FashionMnist.train(dataDir);
    Dataset test = dataDir == null ? FashionMnist.test() : FashionMnist.test(dataDir);
    train(train, test, epochs, batchSize, learningRate, seed, out, console);
  }
}
