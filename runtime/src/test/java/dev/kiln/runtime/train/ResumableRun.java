package dev.kiln.runtime.train;

import dev.kiln.runtime.io.ParameterFiles;
import java.nio.file.Path;

/**
 * The training job that {@link KilledRunResumeTest} runs in a child JVM and kills: {@link ResumeTest}'s
 * job on 320 examples for 2 epochs (40 steps), a checkpoint after every step, resumed from the
 * checkpoint in {@code args[0]} when there is one. It prints {@code step N} after each step, so the test
 * can kill it at a step it picked, and writes the final parameters to {@code final.safetensors}.
 */
public final class ResumableRun {
  static final int EXAMPLES = 320;
  static final int EPOCHS = 2;
  static final int STEPS = 40;

  private ResumableRun() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    LogisticRegression.Model model = new LogisticRegression.Model(2, 3);
    TrainingResult<LogisticRegression> result = Train.of(model,
        ResumeTest.job(EXAMPLES, EPOCHS, dir).andThen(t -> {
          t.checkpointEverySteps(1);
          t.resume(true);
          t.callback(new Callback() {
            @Override
            public void onStep(int epoch, long step, double loss) {
              System.out.println("step " + step);
              System.out.flush();
            }
          });
        }));
    ParameterFiles.save(dir.resolve("final.safetensors"), model.toFlax(result.params()));
  }
}
