package dev.kiln.examples;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.io.ParameterMismatchException;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.text.WordList;
import dev.kiln.runtime.train.ConfusionMatrix;
import dev.kiln.runtime.train.Evaluation;
import dev.kiln.runtime.train.History;
import dev.kiln.runtime.train.Metrics;
import dev.kiln.runtime.train.Train;
import dev.kiln.runtime.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Kiln's command line: {@code train} fits a model on Fashion-MNIST and reports its test accuracy,
 * {@code summary} prints the model's table, {@code predict} classifies image files with trained
 * parameters, {@code generate} draws images from a trained VAE or GAN and words from a word
 * generator. See {@link #USAGE}. Mistakes in the command line or the files end the program with a
 * one-line message (and exit status 2 for usage, 1 for files), not a stack trace.
 */
public final class Cli {
  static final String USAGE = """
      usage: kiln COMMAND [OPTIONS]

        train   [--model mlp|cnn|lenet] [--epochs N] [--batch-size N] [--lr X] [--seed N] [--data DIR] [--out DIR]
                [--resume]
                Fit a model on Fashion-MNIST (default: mlp, 3 epochs) and report its test accuracy. Writes
                params.safetensors, loss.png and confusion.png (on the test set) to --out, default runs/<Model>,
                and checkpoint.kiln there after every epoch and every minute. --resume continues from that
                checkpoint when present (same --seed and --batch-size), ending as an uninterrupted run would.
        summary [--model mlp|cnn|lenet|lstm|vae|conv-vae|gan|dcgan|word-gan|word-lstm]
                Print the model's layers, output shapes, parameters and FLOPs.
        predict [--model mlp|cnn|lenet] --params FILE [--top K] [--limit N] FILE...
                Classify images with trained parameters (e.g. runs/FashionCnn/params.safetensors from
                train --model cnn) and print each image's K most probable classes (default 3) with their
                probabilities. A FILE is either a picture (PNG, JPEG, BMP, GIF), turned into 28x28 gray
                levels in [0, 1] and scaled smoothly to fit if of another size, or an IDX images file,
                gzipped or not, of which the first N images are classified (default 10).
                Fashion-MNIST shows a light garment on a dark background: invert a photo of a garment on a
                white background first.
        train --model lstm [--epochs N] [--batch-size N] [--lr X] [--seed N] [--data DIR] [--out DIR]
                WORKLOADS.md W2: an LSTM on the UCI sentiment sentences (default 10 epochs, batch 64).
                Writes params.safetensors, vocabulary.json and loss.png to --out, default runs/SentimentLstm.
        predict --model lstm --params FILE [--vocabulary FILE] [SENTENCE...]
                Score sentences as negative or positive with their probability; without sentences, read
                them one per line (an interactive prompt on a terminal). The vocabulary defaults to
                vocabulary.json beside the parameters.
        train --model vae|conv-vae [--epochs N] [--batch-size N] [--lr X] [--seed N] [--data DIR] [--out DIR]
                WORKLOADS.md W3 / W3c: the MLP or conv VAE on Fashion-MNIST (default 10 epochs); prints the test negative
                ELBO per epoch and writes samples-<epoch>.png (8x8 samples), loss.png and params.safetensors.
        train --model gan|dcgan [--epochs N] [--batch-size N] [--seed N] [--data DIR] [--out DIR]
                WORKLOADS.md W4's MLP GAN, or a DCGAN-style convolutional one (Adam 2e-4, b1 0.5); writes
                samples-<epoch>.png, interpolation.png (walks through the latent space), loss.png and both
                models' parameters, and prints the training steps per second. The VAEs also write
                reconstructions.png (test images above their reconstructions) and interpolation.png.
        generate [images] --model vae|conv-vae|gan|dcgan --params FILE [-n N] [--seed N] [--out FILE]
                 [--interpolate STEPS] [--classifier FILE] [--data DIR]
                Draw N images (default 64) from a checkpoint (a VAE's params.safetensors, a GAN's
                generator.safetensors) into a PNG grid (default generated.png beside the checkpoint). With
                --interpolate, draw N walks of STEPS images from one random code to another instead. With
                --classifier (W1b parameters from train --model lenet), also report the share of the images
                it classifies with probability >= 0.9 and the entropy of their class histogram, beside the
                same figures for as many real test images (use -n 1000).
        train --model word-gan [--pretrain-epochs N] [--epochs N] [--batch-size N] [--seed N] [--data FILE] [--out DIR]
        train --model word-lstm [--epochs N] [--batch-size N] [--lr X] [--seed N] [--data FILE] [--out DIR]
                Text generation (docs/text-generation.md) on English words (--data: a word list, one word a
                line; default $KILN_WORDS, else /usr/share/dict/words): the character GAN (an LSTM generator
                pretrained by maximum likelihood for --pretrain-epochs, default 3, then trained against an
                LSTM discriminator by policy gradients, default 1 epoch) or the character LSTM language
                model (default 5 epochs); prints losses, metrics and samples per epoch and writes the
                parameters to --out. summary --model word-gan shows the discriminator; the generator is
                word-lstm's network.
        generate words|metrics --model gan|lstm|bigram [-n N] [--temperature T] [--params FILE] [--seed N] [--data FILE]
                Write N words (default 20), one a line, drawn at temperature T (default 1), or with 'metrics'
                the validity, novelty and diversity of N words. gan and lstm load --params (default where
                train writes them); bigram fits a character-bigram chain to the training words.
        help    Print this text.
      """;

  private static final Map<String, Set<String>> OPTIONS = Map.of(
      "train", Set.of("model", "epochs", "pretrain-epochs", "batch-size", "lr", "seed", "data", "out", "resume"),
      "summary", Set.of("model"),
      "predict", Set.of("model", "params", "top", "limit", "vocabulary"),
      "generate", Set.of("model", "params", "n", "seed", "out", "interpolate", "classifier", "data",
          "temperature"));

  /** Options that take no value: present or not. */
  private static final Set<String> FLAGS = Set.of("resume");

  private Cli() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs one command; returns the exit status, having explained any failure on {@code err}. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Arguments a;
    try {
      a = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      return usageError(e, err);
    }
    try {
      switch (a.command()) {
        case "train" -> train(model(a), a, out);
        case "summary" -> out.print(model(a).summary());
        case "predict" -> predict(model(a), a, out);
        case "generate" -> generate(a, out);
        case "help" -> out.print(USAGE);
      }
      return 0;
    } catch (ParameterMismatchException e) {
      err.println("kiln: " + a.options().get("params") + " holds parameters of another model than --model "
          + a.option("model", "mlp") + "; pass the --model it was trained with");
      err.println(e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      return usageError(e, err);
    } catch (IOException | UncheckedIOException e) {
      err.println("kiln: " + fileProblem(e));
      return 1;
    }
  }

  /**
   * A missing or forbidden file said in words, wherever it sits in the cause chain (readers wrap
   * the file system's exception, whose own message is just the path); otherwise the message.
   */
  private static String fileProblem(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NoSuchFileException missing) {
        return "no such file: " + missing.getFile();
      }
      if (t instanceof AccessDeniedException denied) {
        return "cannot read " + denied.getFile() + ": permission denied";
      }
    }
    return e.getMessage();
  }

  private static int usageError(IllegalArgumentException e, PrintStream err) {
    err.println("kiln: " + e.getMessage());
    err.println("run 'kiln help' for usage");
    return 2;
  }

  /** The models {@code --model} names: the WORKLOADS.md jobs on Fashion-MNIST. */
  private static ModelDefinition<?> model(Arguments a) {
    String name = a.option("model", "mlp");
    return switch (name) {
      case "mlp" -> FashionMlpModel.INSTANCE;
      case "cnn" -> FashionCnnModel.INSTANCE;
      case "lenet" -> FashionLeNetModel.INSTANCE;
      case "lstm" -> SentimentLstmModel.INSTANCE;
      case "vae" -> W3VaeModel.INSTANCE;
      case "conv-vae" -> ConvVaeModel.INSTANCE;
      case "gan" -> GanGeneratorModel.INSTANCE;
      case "dcgan" -> DcganGeneratorModel.INSTANCE;
      case "word-gan" -> WordGanDiscriminatorModel.INSTANCE;
      case "word-lstm" -> WordLstmModel.INSTANCE;
      default -> throw new IllegalArgumentException("unknown model '" + name
          + "': expected mlp, cnn, lenet, lstm, vae, conv-vae, gan, dcgan, word-gan or word-lstm");
    };
  }

  private static <P extends Record> void train(ModelDefinition<P> model, Arguments a, PrintStream console)
      throws IOException {
    if (a.options().containsKey("pretrain-epochs") && model != WordGanDiscriminatorModel.INSTANCE) {
      throw new IllegalArgumentException("--pretrain-epochs works with --model word-gan only, not with "
          + a.option("model", "mlp"));
    }
    boolean resume = a.options().containsKey("resume");
    if (resume && !Set.<ModelDefinition<?>>of(FashionMlpModel.INSTANCE, FashionCnnModel.INSTANCE,
        FashionLeNetModel.INSTANCE).contains(model)) {
      throw new IllegalArgumentException("--resume works with --model mlp, cnn or lenet, whose training writes"
          + " checkpoints; not with " + a.option("model", "mlp"));
    }
    if (model == GanGeneratorModel.INSTANCE || model == DcganGeneratorModel.INSTANCE) {
      Path dataDir = a.options().containsKey("data") ? Path.of(a.options().get("data")) : null;
      Gan.Kind<?, ?, ?, ?> kind = model == GanGeneratorModel.INSTANCE ? Gan.MLP : Gan.DCGAN;
      Gan.train(kind, dataDir, a.number("epochs", 10, Integer::valueOf), a.number("batch-size", 128, Integer::valueOf),
          a.number("seed", 0L, Long::valueOf), Path.of(a.option("out", "runs/" + kind.name())), console);
      return;
    }
    if (model == WordGanDiscriminatorModel.INSTANCE || model == WordLstmModel.INSTANCE) {
      WordList words = WordList.load(a.options().containsKey("data") ? Path.of(a.options().get("data")) : null);
      boolean gan = model == WordGanDiscriminatorModel.INSTANCE;
      Path out = Path.of(a.option("out", gan ? "runs/WordGan" : "runs/" + model.name()));
      long seed = a.number("seed", 0L, Long::valueOf);
      if (gan) {
        if (a.options().containsKey("lr")) {
          throw new IllegalArgumentException("--lr sets the word-lstm's learning rate; the word GAN's are fixed"
              + " (docs/text-generation.md)");
        }
        WordGan.train(words, a.number("pretrain-epochs", 3, Integer::valueOf), a.number("epochs", 1, Integer::valueOf),
            a.number("batch-size", 64, Integer::valueOf), seed, out, console);
      } else {
        WordLanguageModel.train(words, a.number("epochs", 5, Integer::valueOf),
            a.number("batch-size", 64, Integer::valueOf), a.number("lr", 3e-3, Double::valueOf), seed, out, console);
      }
      return;
    }
    if (model == W3VaeModel.INSTANCE || model == ConvVaeModel.INSTANCE) {
      Path dataDir = a.options().containsKey("data") ? Path.of(a.options().get("data")) : null;
      Vae.Kind<?> kind = model == W3VaeModel.INSTANCE ? Vae.MLP : Vae.CONV;
      Vae.train(kind, dataDir, a.number("epochs", 10, Integer::valueOf), a.number("batch-size", 128, Integer::valueOf),
          a.number("lr", 1e-3, Double::valueOf), a.number("seed", 0L, Long::valueOf),
          Path.of(a.option("out", "runs/" + model.name())), console);
      return;
    }
    if (model == SentimentLstmModel.INSTANCE) {
      Path dataDir = a.options().containsKey("data") ? Path.of(a.options().get("data")) : null;
      Sentiment.train(dataDir, a.number("epochs", 10, Integer::valueOf), a.number("batch-size", 64, Integer::valueOf),
          a.number("lr", 1e-3, Double::valueOf), a.number("seed", 0L, Long::valueOf),
          Path.of(a.option("out", "runs/" + model.name())), console);
      return;
    }
    int epochs = a.number("epochs", 3, Integer::valueOf);
    int batchSize = a.number("batch-size", 128, Integer::valueOf);
    double learningRate = a.number("lr", 1e-3, Double::valueOf);
    long seed = a.number("seed", 0L, Long::valueOf);
    Path out = Path.of(a.option("out", "runs/" + model.name()));
    Path dataDir = a.options().containsKey("data") ? Path.of(a.options().get("data")) : null;
    Files.createDirectories(out);

    Dataset train = dataDir == null ? FashionMnist.train() : FashionMnist.train(dataDir);
    Dataset test = dataDir == null ? FashionMnist.test() : FashionMnist.test(dataDir);
    console.print(model.summary());
    long start = System.nanoTime();
    TrainingResult<P> result = Train.of(model, t -> {
      t.data(train, batchSize);
      t.loss(Losses.softmaxCrossEntropy());
      t.optimizer(Optax.adam(learningRate));
      t.epochs(epochs);
      t.seed(seed);
      t.evaluate(test, Metrics.accuracy());
      t.lossCurve(out.resolve("loss.png"));
      t.checkpointDir(out);
      t.checkpointEvery(Duration.ofMinutes(1));
      t.resume(resume);
    });
    double seconds = (System.nanoTime() - start) / 1e9;
    Path checkpoint = out.resolve("params.safetensors");
    ParameterFiles.save(checkpoint, model.variables(result.params()));
    Path confusion = out.resolve("confusion.png");
    ConfusionMatrix.of(Evaluation.predictInBatches(model, result.params(), test, batchSize), test.labels())
        .writePng(confusion, FashionMnist.classNames());
    History history = result.history();
    double[] accuracy = history.epochFigure("test_accuracy");
    console.printf(Locale.ROOT, "test accuracy %.4f after %d epochs (%.1f s, %.1f s per epoch)%n",
        accuracy[accuracy.length - 1], epochs, seconds, seconds / epochs);
    console.println("parameters: " + checkpoint + "   loss curve: " + out.resolve("loss.png")
        + "   confusion matrix: " + confusion);
  }

  private static void generateImages(ModelDefinition<?> model, Arguments a, PrintStream out) throws IOException {
    if (!a.options().containsKey("params")) {
      throw new IllegalArgumentException("generate needs --params FILE: a VAE's params.safetensors or a GAN's"
          + " generator.safetensors as train writes it");
    }
    Path params = Path.of(a.options().get("params"));
    ImageGenerator generator;
    if (model == W3VaeModel.INSTANCE || model == ConvVaeModel.INSTANCE) {
      generator = (model == W3VaeModel.INSTANCE ? Vae.MLP : Vae.CONV).load(params);
    } else if (model == GanGeneratorModel.INSTANCE || model == DcganGeneratorModel.INSTANCE) {
      generator = (model == GanGeneratorModel.INSTANCE ? Gan.MLP : Gan.DCGAN).load(params);
    } else {
      throw new IllegalArgumentException("generate needs a generative --model: vae, conv-vae, gan or dcgan, found '"
          + a.option("model", "mlp") + "'");
    }
    boolean interpolate = a.options().containsKey("interpolate");
    int count = a.number("n", interpolate ? 8 : 64, Integer::valueOf);
    if (count < 1) {
      throw new IllegalArgumentException("-n must be positive, found " + count);
    }
    long seed = a.number("seed", 0L, Long::valueOf);
    Path png = Path.of(a.option("out", params.resolveSibling(interpolate ? "interpolation.png" : "generated.png")
        .toString()));
    if (interpolate) {
      Generate.interpolation(generator, count, a.number("interpolate", 10, Integer::valueOf), seed, png, out);
      return;
    }
    INDArray images = Generate.samples(generator, count, seed, png, out);
    if (a.options().containsKey("classifier")) {
      Path dataDir = a.options().containsKey("data") ? Path.of(a.options().get("data")) : null;
      Dataset test = dataDir == null ? FashionMnist.test() : FashionMnist.test(dataDir);
      Generate.quality(images, test, Path.of(a.options().get("classifier")), out);
    }
  }

  private static <P extends Record> void predict(ModelDefinition<P> model, Arguments a, PrintStream out)
      throws IOException {
    if (!a.options().containsKey("params")) {
      throw new IllegalArgumentException("predict needs --params FILE, e.g. runs/" + model.name()
          + "/params.safetensors as train writes it");
    }
    if (model == SentimentLstmModel.INSTANCE) {
      Path params = Path.of(a.options().get("params"));
      Path vocabulary = a.options().containsKey("vocabulary") ? Path.of(a.options().get("vocabulary"))
          : params.resolveSibling("vocabulary.json");
      Sentiment.predict(params, vocabulary, a.operands(),
          new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8)),
          out);
      return;
    }
    if (a.operands().isEmpty()) {
      throw new IllegalArgumentException("predict needs at least one image or IDX file to classify");
    }
    List<String> classNames = FashionMnist.classNames();
    int top = a.number("top", 3, Integer::valueOf);
    if (top < 1 || top > classNames.size()) {
      throw new IllegalArgumentException("--top must be between 1 and " + classNames.size() + ", found " + top);
    }
    int limit = a.number("limit", 10, Integer::valueOf);
    if (limit < 1) {
      throw new IllegalArgumentException("--limit must be positive, found " + limit);
    }
    List<Path> files = a.operands().stream().map(Path::of).toList();
    Predict.run(model, Path.of(a.options().get("params")), Images.read(files, limit), classNames, top, out);
  }

  private static void generate(Arguments a, PrintStream out) throws IOException {
    List<String> what = a.operands();
    if (what.isEmpty() || what.equals(List.of("images"))) {
      generateImages(model(a), a, out);
      return;
    }
    if (what.size() != 1 || !Set.of("words", "metrics").contains(what.get(0))) {
      throw new IllegalArgumentException("generate needs what to generate, images (the default), words or metrics,"
          + " found " + what);
    }
    Path data = a.options().containsKey("data") ? Path.of(a.options().get("data")) : null;
    List<String> words = Words.generate(Words.Generator.named(a.option("model", "lstm")), a.number("n", 20,
        Integer::valueOf), a.number("temperature", 1.0, Double::valueOf), a.options().containsKey("params")
        ? Path.of(a.options().get("params")) : null, data, a.number("seed", 0L, Long::valueOf));
    Words.print(words, what.get(0).equals("metrics"), data, out);
  }

  /**
   * A command line: the command ({@code train} when there is none), {@code --name value} options
   * the command accepts, and operands (the files of {@code predict}).
   */
  private record Arguments(String command, Map<String, String> options, List<String> operands) {
    static Arguments parse(String[] args) {
      String command = args.length == 0 ? "train" : args[0];
      if (Set.of("help", "--help", "-h").contains(command)) {
        return new Arguments("help", Map.of(), List.of());
      }
      Set<String> accepted = OPTIONS.get(command);
      if (accepted == null) {
        throw new IllegalArgumentException(
            "unknown command '" + command + "': expected train, summary, predict, generate or help");
      }
      Map<String, String> options = new LinkedHashMap<>();
      List<String> operands = new ArrayList<>();
      for (int i = 1; i < args.length; i++) {
        if (!args[i].startsWith("--") && !args[i].equals("-n")) {
          operands.add(args[i]);
          continue;
        }
        String name = args[i].equals("-n") ? "n" : args[i].substring(2);
        if (!accepted.contains(name)) {
          throw new IllegalArgumentException(command + " has no option --" + name + "; it takes --"
              + String.join(", --", accepted.stream().sorted().toList()));
        }
        if (FLAGS.contains(name)) {
          options.put(name, "true");
          continue;
        }
        if (i + 1 == args.length) {
          throw new IllegalArgumentException("--" + name + " needs a value");
        }
        options.put(name, args[++i]);
      }
      if (!Set.of("predict", "generate").contains(command) && !operands.isEmpty()) {
        throw new IllegalArgumentException(command + " takes only --name value options, found '" + operands.get(0) + "'");
      }
      return new Arguments(command, options, operands);
    }

    String option(String name, String fallback) {
      return options.getOrDefault(name, fallback);
    }

    /** The option read as a number, or {@code fallback} when absent. */
    <T extends Number> T number(String name, T fallback, Function<String, T> parse) {
      String value = options.get(name);
      try {
        return value == null ? fallback : parse.apply(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " needs a number, found '" + value + "'");
      }
    }
  }
}
