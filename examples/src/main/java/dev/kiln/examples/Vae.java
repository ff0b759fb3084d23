package dev.kiln.examples;

import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Batches;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.loss.VaeLoss;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.model.TapeCache;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.OptimizerState;
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
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * WORKLOADS.md W3 and W3c from the command line: a VAE trained on Fashion-MNIST with its own step
 * (a model with three outputs takes a loss over all of them, which the generated trainer does not):
 * forward, the negative ELBO and its three cotangents, backward, Adam. Reports the test negative
 * ELBO per epoch and writes an 8x8 grid of samples after every epoch.
 */
public final class Vae {
  /**
   * A VAE model whose outputs are (mean, logStd, decoder logits): what the loop needs of it, one
   * step's loss and gradients with tapes kept per batch shape, and decoding codes to pixels.
   */
  public interface Kind<P extends Record> {
    ModelDefinition<P> definition();

    int latent();

    /** The negative ELBO of a batch with the given noise key; with {@code grads}, its gradients land there. */
    double negativeElbo(P params, INDArray x, PRNGKey noise, P grads);

    /** Bernoulli logits {@code [N, 784]} for codes {@code [N, latent]}. */
    INDArray decode(P params, INDArray z);

    /** The encoder's mean code {@code [N, latent]} of images {@code [N, 28, 28, 1]}. */
    INDArray encodeMean(P params, INDArray x);

    /** The trained decoder as codes-to-images in [0, 1]. */
    default ImageGenerator imageGenerator(P params) {
      return new ImageGenerator(latent(), z -> Transforms.sigmoid(decode(params, z), false).reshape(z.size(0), 28, 28, 1));
    }

    /** A checkpoint as written by {@link Vae#train}. */
    default ImageGenerator load(Path params) throws IOException {
      return imageGenerator(definition().fromFlax(ParameterFiles.load(params)));
    }
  }

  /**
   * What the two VAEs share: the model, the code size, and the encoder and decoder sub-models that
   * {@link #decode} and {@link #encodeMean} run on their own. Each VAE adds its training pass, which
   * reads its generated tape's typed buffers.
   */
  private abstract static class Parts<P extends Record, E extends Record, D extends Record> implements Kind<P> {
    private final ModelDefinition<P> model;
    private final int latent;
    private final ModelDefinition<E> encoder;
    private final Function<P, E> encoderParams;
    private final ModelDefinition<D> decoder;
    private final Function<P, D> decoderParams;

    Parts(ModelDefinition<P> model, int latent, ModelDefinition<E> encoder, Function<P, E> encoderParams,
        ModelDefinition<D> decoder, Function<P, D> decoderParams) {
      this.model = model;
      this.latent = latent;
      this.encoder = encoder;
      this.encoderParams = encoderParams;
      this.decoder = decoder;
      this.decoderParams = decoderParams;
    }

    @Override
    public ModelDefinition<P> definition() {
      return model;
    }

    @Override
    public int latent() {
      return latent;
    }

    @Override
    public INDArray decode(P params, INDArray z) {
      return decoder.apply(decoderParams.apply(params), z);
    }

    /** The encoder's output is the mean followed by the log-std. */
    @Override
    public INDArray encodeMean(P params, INDArray x) {
      return encoder.apply(encoderParams.apply(params), x).get(NDArrayIndex.all(), NDArrayIndex.interval(0, latent));
    }
  }

  /** W3: the MLP VAE. */
  public static final Kind<W3Vae> MLP = new Parts<>(W3VaeModel.INSTANCE, 50, W3EncoderModel.INSTANCE,
      W3Vae::encoder, W3DecoderModel.INSTANCE, W3Vae::decoder) {
    private final W3VaeModel model = W3VaeModel.INSTANCE;
    private final TapeCache<W3VaeModel.Tape> tapes = new TapeCache<>(model::tape, W3VaeModel.Tape::fits);

    @Override
    public double negativeElbo(W3Vae params, INDArray x, PRNGKey noise, W3Vae grads) {
      W3VaeModel.Tape t = tapes.get(x);
      t.noiseKey = noise;
      W3VaeModel.Outputs out = model.forward(params, x, t);
      double loss = VaeLoss.valueAndGradients(out.decoder(), x, out.mean(), out.logStd(), t.dDecoder, t.dMean,
          t.dLogStd);
      if (grads != null) {
        model.backward(params, t, new W3VaeModel.Outputs(t.dMean, t.dLogStd, t.dDecoder), grads, false);
      }
      return loss;
    }
  };

  /** W3c: the convolutional VAE. */
  public static final Kind<ConvVae> CONV = new Parts<>(ConvVaeModel.INSTANCE, 20, ConvVaeEncoderModel.INSTANCE,
      ConvVae::encoder, ConvVaeDecoderModel.INSTANCE, ConvVae::decoder) {
    private final ConvVaeModel model = ConvVaeModel.INSTANCE;
    private final TapeCache<ConvVaeModel.Tape> tapes = new TapeCache<>(model::tape, ConvVaeModel.Tape::fits);

    @Override
    public double negativeElbo(ConvVae params, INDArray x, PRNGKey noise, ConvVae grads) {
      ConvVaeModel.Tape t = tapes.get(x);
      t.noiseKey = noise;
      ConvVaeModel.Outputs out = model.forward(params, x, t);
      double loss = VaeLoss.valueAndGradients(out.decoder(), x, out.mean(), out.logStd(), t.dDecoder, t.dMean,
          t.dLogStd);
      if (grads != null) {
        model.backward(params, t, new ConvVaeModel.Outputs(t.dMean, t.dLogStd, t.dDecoder), grads, false);
      }
      return loss;
    }
  };

  private Vae() {}

  /** Trains and writes {@code params.safetensors}, {@code loss.png} and {@code samples-<epoch>.png}; returns the last test -ELBO. */
  static <P extends Record> double train(Kind<P> kind, Dataset train, Dataset test, int epochs, int batchSize,
      double learningRate, long seed, Path out, PrintStream console) throws IOException {
    Files.createDirectories(out);
    ModelDefinition<P> model = kind.definition();
    console.print(model.summary());
    PRNGKey[] keys = PRNGKey.of(seed).split(4); // parameters, shuffling, noise, samples
    P params = model.init(keys[0]);
    P grads = model.zerosLike(params);
    List<INDArray> leaves = model.leaves(params);
    List<INDArray> gradLeaves = model.leaves(grads);
    Optimizer adam = Optax.adam(learningRate);
    OptimizerState state = adam.init(leaves);
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
        double loss = kind.negativeElbo(params, x, keys[2].foldIn(step++), grads);
        adam.update(leaves, gradLeaves, state);
        history.recordStep(loss);
        sum += loss;
        bar.status(String.format(Locale.ROOT, "-ELBO %.2f", loss));
        bar.advance(1, x.size(0));
      }
      bar.finish();
      testElbo = negativeElbo(kind, params, test, batchSize, keys[2].foldIn(-epoch));
      history.recordEpoch(Map.of("train_loss", sum / batches.count(), "test_neg_elbo", testElbo));
      console.printf(Locale.ROOT, "epoch %d/%d:  train -ELBO %.2f  test -ELBO %.2f nats per image%n", epoch, epochs,
          sum / batches.count(), testElbo);
      ImageGrid.writePng(kind.imageGenerator(params).samples(keys[3], 64), 8, out.resolve("samples-" + epoch + ".png"));
    }
    ParameterFiles.save(out.resolve("params.safetensors"), model.variables(params));
    LossCurve.writePng(history, out.resolve("loss.png"));
    ImageGrid.writePng(reconstructions(kind, params, test, 16), 16, out.resolve("reconstructions.png"));
    ImageGrid.writePng(kind.imageGenerator(params).interpolation(keys[3].foldIn(1), 8, 10), 10,
        out.resolve("interpolation.png"));
    console.println("parameters: " + out.resolve("params.safetensors") + "   samples: " + out.resolve("samples-"
        + epochs + ".png") + "   loss curve: " + out.resolve("loss.png"));
    console.println("reconstructions (inputs above, decoded means below): " + out.resolve("reconstructions.png")
        + "   latent walks: " + out.resolve("interpolation.png"));
    return testElbo;
  }

  /** The negative ELBO per image over a dataset, one noise draw per image. */
  static <P extends Record> double negativeElbo(Kind<P> kind, P params, Dataset data, int batchSize, PRNGKey key) {
    double total = 0;
    int batch = 0;
    for (Iterator<Batch> it = Batches.sequential(data, batchSize).epoch(1); it.hasNext(); batch++) {
      INDArray x = it.next().features();
      total += x.size(0) * kind.negativeElbo(params, x, key.foldIn(batch), null);
    }
    return total / data.size();
  }

  /**
   * The first {@code n} test images above their reconstructions (each image's mean code decoded):
   * {@code [2n, 28, 28, 1]}, for a grid of {@code n} columns.
   */
  static <P extends Record> INDArray reconstructions(Kind<P> kind, P params, Dataset test, int n) {
    INDArray x = test.features().get(NDArrayIndex.interval(0, n));
    INDArray decoded = kind.imageGenerator(params).decode().apply(kind.encodeMean(params, x));
    return Nd4j.concat(0, x.reshape(n, 28, 28, 1), decoded);
  }

  /** The CLI's entry: Fashion-MNIST resolved as usual. */
  static <P extends Record> void train(Kind<P> kind, Path dataDir, int epochs, int batchSize, double learningRate,
      long seed, Path out, PrintStream console) throws IOException {
    Dataset train = dataDir == null ? FashionMnist.train() : FashionMnist.train(dataDir);
    Dataset test = dataDir == null ? FashionMnist.test() : FashionMnist.test(dataDir);
    train(kind, train, test, epochs, batchSize, learningRate, seed, out, console);
  }
}
