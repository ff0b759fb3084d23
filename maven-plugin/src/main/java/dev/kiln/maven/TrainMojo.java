package dev.kiln.maven;

import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.train.Callback;
import dev.kiln.runtime.train.Metrics;
import dev.kiln.runtime.train.Train;
import dev.kiln.runtime.train.TrainingResult;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Execute;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Trains one of the project's models with its generated trainer on an image-classification dataset
 * (Fashion-MNIST, MNIST or MNIST-style IDX files), with softmax cross-entropy, evaluating test
 * accuracy after every epoch; writes {@code params.safetensors} (Flax paths) and {@code loss.png}.
 * {@code mvn kiln:train} compiles the project first. Settings come from this goal's parameters
 * ({@code -Dkiln.epochs=3}), over a {@link #configFile}, over the defaults; see {@link TrainConfig}.
 */
@Mojo(name = "train", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
@Execute(phase = LifecyclePhase.COMPILE)
public class TrainMojo extends AbstractMojo {
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  /** A properties file with any of the keys below; the pom and {@code -D} values win over it. */
  @Parameter(property = "kiln.configFile")
  private File configFile;

  /** The model: its record's or generated class's name, simple or qualified; may be left out when there is one. */
  @Parameter(property = "kiln.model")
  private String model;

  /** Passes over the training set (default 1). */
  @Parameter(property = "kiln.epochs")
  private String epochs;

  /** Examples per step (default 128). */
  @Parameter(property = "kiln.batchSize")
  private String batchSize;

  /** {@code adam} (default), {@code adamw}, {@code sgd} or {@code rmsprop}, with optax's defaults. */
  @Parameter(property = "kiln.optimizer")
  private String optimizer;

  /** The optimizer's learning rate (default 0.001). */
  @Parameter(property = "kiln.learningRate")
  private String learningRate;

  /** The run's PRNG seed: parameters, shuffling and dropout (default 0). */
  @Parameter(property = "kiln.seed")
  private String seed;

  /** {@code fashion-mnist} (default), {@code mnist} or {@code idx}. */
  @Parameter(property = "kiln.data")
  private String data;

  /** Where the IDX files are; for Fashion-MNIST and MNIST, leave out to let Kiln find them. */
  @Parameter(property = "kiln.dataDirectory")
  private String dataDirectory;

  /** The number of classes of {@code idx} data (default 10). */
  @Parameter(property = "kiln.classes")
  private String classes;

  /** Train on the first this many examples only, for a quick run (default 0: all). */
  @Parameter(property = "kiln.limit")
  private String limit;

  /** Where {@code params.safetensors} and {@code loss.png} go (default {@code target/kiln/<model>}). */
  @Parameter(property = "kiln.outputDirectory")
  private String outputDirectory;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    TrainConfig config;
    try {
      config = TrainConfig.resolve(configFile == null ? null : configFile.toPath(), given(),
          project.getBasedir().toPath());
    } catch (IOException e) {
      throw new MojoExecutionException("cannot read " + configFile + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException(e.getMessage(), e);
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try (ProjectModels models = ProjectModels.of(Path.of(project.getBuild().getOutputDirectory()),
        project.getRuntimeClasspathElements())) {
      thread.setContextClassLoader(models.loader());
      train(models.load(ModelIndex.choose(models.names(), config.model())), config);
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("kiln:train: " + e.getMessage(), e);
    } catch (DependencyResolutionRequiredException | IOException | RuntimeException e) {
      throw new MojoExecutionException("kiln:train: " + e.getMessage(), e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private Map<String, String> given() {
    Map<String, String> given = new LinkedHashMap<>();
    given.put("model", model);
    given.put("epochs", epochs);
    given.put("batchSize", batchSize);
    given.put("optimizer", optimizer);
    given.put("learningRate", learningRate);
    given.put("seed", seed);
    given.put("data", data);
    given.put("dataDirectory", dataDirectory);
    given.put("classes", classes);
    given.put("limit", limit);
    given.put("outputDirectory", outputDirectory);
    return given;
  }

  private <P extends Record> void train(ModelDefinition<P> model, TrainConfig config) throws IOException {
    Path out = config.outputDirectory() != null ? config.outputDirectory()
        : Path.of(project.getBuild().getDirectory(), "kiln", model.name());
    Files.createDirectories(out);
    TrainingData data = TrainingData.load(config);
    getLog().info("training " + model.name() + " on " + data.train() + ", " + config.epochs() + " epoch(s), batch "
        + config.batchSize() + ", " + config.optimizer() + "(" + config.learningRate() + "), seed " + config.seed());
    model.summary().lines().forEach(getLog()::info);
    long start = System.nanoTime();
    TrainingResult<P> result = Train.of(model, t -> {
      t.data(data.train(), config.batchSize());
      t.loss(Losses.softmaxCrossEntropy());
      t.optimizer(config.newOptimizer());
      t.epochs(config.epochs());
      t.seed(config.seed());
      t.evaluate(data.test(), Metrics.accuracy());
      t.lossCurve(out.resolve("loss.png"));
      t.progress(false);
      t.callback(new Callback() {
        @Override
        public void onEpochEnd(int epoch, Map<String, Double> figures) {
          getLog().info(String.format(Locale.ROOT, "epoch %d: %s", epoch, figures));
        }
      });
    });
    Path params = out.resolve("params.safetensors");
    ParameterFiles.save(params, model.variables(result.params()));
    double[] accuracy = result.history().epochFigure("test_accuracy");
    getLog().info(String.format(Locale.ROOT, "%s: test accuracy %.4f after %d epoch(s) in %.1f s; parameters in %s",
        model.name(), accuracy[accuracy.length - 1], config.epochs(), (System.nanoTime() - start) / 1e9, params));
  }
}
