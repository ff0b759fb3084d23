package dev.kiln.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * How a data-parallel run trains: every replica takes {@code localBatch} examples per step from its own
 * shard (so the global batch is {@code replicas x localBatch}) for {@code steps} steps.
 *
 * @param localBatch examples per replica per step; shards smaller than this are an error
 * @param steps total optimizer steps (a resumed run continues up to the same number)
 * @param seed initialises the parameters ({@code init(split(key)[0])}, the same on every replica) and
 *     shuffles each shard every epoch ({@code fold_in(split(key)[1], rank)})
 * @param averaging gradients every step (exact) or parameters every k steps
 * @param exchange how replicas average: a ring of direct connections or allGather through the driver
 * @param checkpointDir where replica 0 saves checkpoints and where a (re)started run resumes from; on a
 *     cluster it must be a directory every executor sees (a shared mount); null for none
 * @param checkpointEvery steps between checkpoints (0 for none); with parameter averaging a multiple of
 *     its interval
 * @param featurizer turns the features column into model input
 */
public record DataParallelSpec(
    int localBatch, int steps, long seed, Averaging averaging, Exchange exchange, String checkpointDir,
    int checkpointEvery, Featurizer featurizer) implements Serializable {
  public DataParallelSpec {
    Objects.requireNonNull(averaging, "averaging");
    Objects.requireNonNull(exchange, "exchange");
    Objects.requireNonNull(featurizer, "featurizer");
    if (localBatch < 1 || steps < 1) {
      throw new IllegalArgumentException("local batch and steps must be positive, found " + localBatch
          + " and " + steps);
    }
    if (checkpointEvery < 0 || (checkpointEvery > 0 && checkpointDir == null)) {
      throw new IllegalArgumentException("checkpointEvery " + checkpointEvery + " needs a checkpoint directory"
          + " and must not be negative");
    }
    // Only right after an average do the replicas agree, so only then is there one model to save.
    if (averaging.ofParameters() && checkpointEvery % averaging.every() != 0) {
      throw new IllegalArgumentException("with parameters averaged every " + averaging.every() + " steps,"
          + " checkpoints must fall on averaging steps: checkpointEvery " + checkpointEvery
          + " is not a multiple of " + averaging.every());
    }
  }

  /** Gradient averaging over a ring, numeric features, no checkpoints. */
  public static DataParallelSpec of(int localBatch, int steps, long seed) {
    return new DataParallelSpec(localBatch, steps, seed, Averaging.gradients(), Exchange.RING, null, 0,
        Featurizer.numbers());
  }

  public DataParallelSpec averaging(Averaging a) {
    return new DataParallelSpec(localBatch, steps, seed, a, exchange, checkpointDir, checkpointEvery, featurizer);
  }

  public DataParallelSpec exchange(Exchange e) {
    return new DataParallelSpec(localBatch, steps, seed, averaging, e, checkpointDir, checkpointEvery, featurizer);
  }

  /** Checkpoints every {@code every} steps into {@code dir}, and resumes from the newest found there. */
  public DataParallelSpec checkpoints(String dir, int every) {
    return new DataParallelSpec(localBatch, steps, seed, averaging, exchange, dir, every, featurizer);
  }

  public DataParallelSpec featurizer(Featurizer f) {
    return new DataParallelSpec(localBatch, steps, seed, averaging, exchange, checkpointDir, checkpointEvery, f);
  }
}
