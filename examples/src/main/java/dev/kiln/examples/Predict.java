package dev.kiln.examples;

import dev.kiln.annotations.Activation;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.nn.ActivationOps;
import dev.kiln.runtime.train.Evaluation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The {@code predict} command: a trained model's most likely classes for each image, with their
 * probabilities (the softmax of the logits the model outputs). The parameters are loaded by Flax
 * path, so a checkpoint of another model fails with {@code ParameterMismatchException} naming every
 * path that does not fit.
 */
final class Predict {
  private static final int BATCH_SIZE = 256;

  private Predict() {}

  /**
   * Prints, for each image, its name and then its {@code top} most probable classes, most probable
   * first, one per line: rank, class name and probability.
   */
  static <P extends Record> void run(ModelDefinition<P> model, Path paramsFile, Images images, List<String> classNames,
      int top, PrintStream out) throws IOException {
    P params = model.fromFlax(ParameterFiles.load(paramsFile));
    INDArray logits = Evaluation.predictInBatches(model, params, images.batch(), BATCH_SIZE);
    if (logits.rank() != 2 || logits.size(1) != classNames.size()) {
      throw new IllegalArgumentException(model.name() + " outputs " + Arrays.toString(logits.shape()) + ", not one score"
          + " per class of " + classNames.size());
    }
    INDArray probabilities = logits.ulike();
    ActivationOps.forward(Activation.SOFTMAX, logits, probabilities);
    int width = classNames.stream().mapToInt(String::length).max().orElse(0);
    for (int i = 0; i < images.names().size(); i++) {
      double[] p = probabilities.getRow(i).toDoubleVector();
      out.println(images.names().get(i));
      int[] ranked = IntStream.range(0, p.length).boxed()
          .sorted(Comparator.comparingDouble((Integer k) -> p[k]).reversed())
          .limit(top).mapToInt(Integer::intValue).toArray();
      for (int r = 0; r < ranked.length; r++) {
        out.printf(Locale.ROOT, "  %d. %-" + width + "s  %.4f%n", r + 1, classNames.get(ranked[r]), p[ranked[r]]);
      }
    }
  }
}
