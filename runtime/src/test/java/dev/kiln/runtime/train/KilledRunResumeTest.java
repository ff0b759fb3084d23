package dev.kiln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.checkpoint.Checkpoint;
import dev.kiln.runtime.io.ParameterFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training job in a child JVM, killed with SIGKILL ({@link Process#destroyForcibly}) at a random
 * moment while it writes a checkpoint after every step, then resumed in a fresh JVM, ends with exactly
 * the parameters of an uninterrupted run with the same key.
 */
class KilledRunResumeTest {
  @TempDir Path dir;

  @Test
  void runKilledAtARandomPointResumesToTheSameParameters() throws Exception {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    String context = "random seed " + seed;
    int killAt = 5 + random.nextInt(ResumableRun.STEPS - 20); // at least 15 steps before the end
    int lingerMillis = random.nextInt(10);

    Process first = start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("step " + killAt)) {
        // the child trains on; its checkpoint of each step is written right after the line is printed
      }
      assertTrue(line != null, context + ": the child ended before step " + killAt + "\n" + log());
      Thread.sleep(lingerMillis);
      first.destroyForcibly();
    }
    assertTrue(first.waitFor(30, TimeUnit.SECONDS), context);
    assertEquals(137, first.exitValue(), context + ": killed by SIGKILL");
    Checkpoint survivor = Checkpoint.load(dir.resolve(TrainingLoop.CHECKPOINT_FILE));
    long killedAfter = survivor.position().step();
    assertTrue(killedAfter >= killAt - 1 && killedAfter < ResumableRun.STEPS,
        context + ": the checkpoint after the kill is of step " + killedAfter + ", killed at step " + killAt);

    Process second = start();
    second.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertTrue(second.waitFor(60, TimeUnit.SECONDS), context);
    assertEquals(0, second.exitValue(), context + ": the resumed run failed\n" + log());

    LogisticRegression.Model model = new LogisticRegression.Model(2, 3);
    TrainingResult<LogisticRegression> straight =
        Train.of(model, ResumeTest.job(ResumableRun.EXAMPLES, ResumableRun.EPOCHS, null));
    assertEquals(ResumableRun.STEPS, straight.history().steps());
    Map<String, INDArray> resumed = ParameterFiles.load(dir.resolve("final.safetensors"));
    assertEquals(model.toFlax(straight.params()), resumed,
        context + ": killed after step " + killedAfter + ", resumed to the end");
  }

  private Process start() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ResumableRun.class.getName(),
        dir.toString())
        .redirectError(dir.resolve("child.log").toFile())
        .start();
  }

  private String log() throws IOException {
    Path log = dir.resolve("child.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
