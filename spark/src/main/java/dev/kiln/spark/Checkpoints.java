package dev.kiln.spark;

import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.model.TrainStep;
import dev.kiln.runtime.optim.OptimizerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A data-parallel run's checkpoints in one directory: after step {@code s}, {@code step-s.safetensors}
 * holds the model's variables (a plain Kiln checkpoint that {@code fromFlax} and batch inference read)
 * and {@code step-s.optimizer.safetensors} the optimizer's state, so a resumed run continues exactly
 * where the saved one stood. Files are never overwritten; the parameters file is written last, so its
 * presence means the step is complete. The newest {@link #KEEP} steps are kept.
 */
public final class Checkpoints {
  /** How many completed steps stay on disk. */
  static final int KEEP = 2;

  private static final Pattern PARAMETERS = Pattern.compile("step-(\\d{8})\\.safetensors");
  private static final Pattern ANY_FILE = Pattern.compile("step-(\\d{8})\\..*safetensors");
  private static final String STEP = "step";

  private Checkpoints() {}

  /** The parameters file of step {@code step} in {@code dir}. */
  public static Path parameters(Path dir, long step) {
    return dir.resolve(String.format("step-%08d.safetensors", step));
  }

  private static Path optimizer(Path dir, long step) {
    return dir.resolve(String.format("step-%08d.optimizer.safetensors", step));
  }

  /** The newest completed step in {@code dir}, or 0 when there is none (or no directory). */
  public static long latest(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> PARAMETERS.matcher(f.getFileName().toString()))
          .filter(Matcher::matches).mapToLong(m -> Long.parseLong(m.group(1))).max().orElse(0);
    } catch (IOException e) {
      throw new UncheckedIOException("listing checkpoints in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Saves the trainer's variables and optimizer state as step {@code step}, then drops old steps. */
  static void save(Path dir, long step, TrainStep<?> trainer) {
    try {
      Files.createDirectories(dir);
      OptimizerState state = trainer.optimizerState();
      Map<String, INDArray> optimizer = new LinkedHashMap<>();
      optimizer.put(STEP, Nd4j.createFromArray((double) state.step()));
      state.slots().forEach((slot, arrays) -> {
        for (int i = 0; i < arrays.size(); i++) {
          optimizer.put(slot + "/" + i, arrays.get(i));
        }
      });
      ParameterFiles.save(optimizer(dir, step), optimizer);
      ParameterFiles.save(parameters(dir, step), variables(trainer));
      long oldest = step - KEEP;
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Matcher m = ANY_FILE.matcher(f.getFileName().toString());
          if (m.matches() && Long.parseLong(m.group(1)) <= oldest) {
            Files.deleteIfExists(f);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing checkpoint of step " + step + " to " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Overwrites the trainer's parameters and optimizer state with those saved as step {@code step}. */
  static void restore(Path dir, long step, TrainStep<?> trainer) {
    try {
      Map<String, INDArray> saved = ParameterFiles.load(parameters(dir, step));
      Map<String, INDArray> current = variables(trainer);
      if (!saved.keySet().equals(current.keySet())) {
        throw new IllegalStateException("checkpoint " + parameters(dir, step) + " holds " + saved.keySet()
            + ", the model has " + current.keySet());
      }
      current.forEach((path, array) -> array.assign(saved.get(path)));
      Map<String, INDArray> optimizer = ParameterFiles.load(optimizer(dir, step));
      OptimizerState state = trainer.optimizerState();
      state.setStep((long) optimizer.get(STEP).getDouble(0));
      state.slots().forEach((slot, arrays) -> {
        for (int i = 0; i < arrays.size(); i++) {
          INDArray a = optimizer.get(slot + "/" + i);
          if (a == null) {
            throw new IllegalStateException("optimizer checkpoint of step " + step + " lacks " + slot + "/" + i);
          }
          arrays.get(i).assign(a);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("reading checkpoint of step " + step + " from " + dir + ": " + e.getMessage(), e);
    }
  }

  private static <P extends Record> Map<String, INDArray> variables(TrainStep<P> trainer) {
    return trainer.model().variables(trainer.params());
  }
}
