package dev.kiln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DataParallelSpecTest {
  @Test
  void checkpointsUnderParameterAveragingMustFallOnAveragingSteps() {
    DataParallelSpec spec = DataParallelSpec.of(8, 100, 0).averaging(Averaging.parameters(4));
    var error = assertThrows(IllegalArgumentException.class, () -> spec.checkpoints("/tmp/run", 10));
    assertEquals("with parameters averaged every 4 steps, checkpoints must fall on averaging steps:"
        + " checkpointEvery 10 is not a multiple of 4", error.getMessage());
    assertEquals(12, spec.checkpoints("/tmp/run", 12).checkpointEvery());
  }

  @Test
  void checkpointsNeedADirectoryAndGradientsAreAveragedEveryStep() {
    var noDir = assertThrows(IllegalArgumentException.class,
        () -> new DataParallelSpec(8, 100, 0, Averaging.gradients(), Exchange.RING, null, 5, Featurizer.numbers()));
    assertEquals("checkpointEvery 5 needs a checkpoint directory and must not be negative", noDir.getMessage());
    var sparse = assertThrows(IllegalArgumentException.class, () -> new Averaging(3, false));
    assertEquals("gradients are averaged every step, found every 3", sparse.getMessage());
  }
}
