package dev.kiln.spark;

import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Batches;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.model.TrainStep;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.random.PRNGKey;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One replica of a data-parallel run, as a task of a barrier stage: it reads its partition (features in
 * column 0, class labels in column 1) into memory, builds the model and a trainer whose optimizer
 * averages gradients across replicas, resumes from the run's newest checkpoint if there is one, and
 * steps. Replica 0 writes checkpoints and returns the final variables.
 */
final class ReplicaTraining<P extends Record>
    extends AbstractFunction1<scala.collection.Iterator<Row>, scala.collection.Iterator<ReplicaReport>>
    implements Serializable {
  private final Recipe<P> recipe;
  private final DataParallelSpec spec;

  ReplicaTraining(Recipe<P> recipe, DataParallelSpec spec) {
    this.recipe = recipe;
    this.spec = spec;
  }

  /** The key every replica initialises the parameters with. */
  static PRNGKey initKey(long seed) {
    return PRNGKey.of(seed).split()[0];
  }

  /** The key replica {@code rank} shuffles its shard with. */
  static PRNGKey shuffleKey(long seed, int rank) {
    return PRNGKey.of(seed).split()[1].foldIn(rank);
  }

  @Override
  public scala.collection.Iterator<ReplicaReport> apply(scala.collection.Iterator<Row> rows) {
    return CollectionConverters.asScala(List.of(train(CollectionConverters.asJava(rows))).iterator());
  }

  private ReplicaReport train(Iterator<Row> rows) {
    BarrierTaskContext context = BarrierTaskContext.get();
    try (ReplicaGroup group = spec.exchange() == Exchange.RING ? new RingGroup(context) : new AllGatherGroup(context)) {
      return train(rows, group);
    }
  }

  private ReplicaReport train(Iterator<Row> rows, ReplicaGroup group) {
    int rank = group.rank();
    ModelDefinition<P> model = recipe.model().get();
    Dataset shard = shard(rows, model);
    if (shard.size() < spec.localBatch()) {
      throw new IllegalArgumentException("replica " + rank + " holds " + shard.size() + " examples, fewer than"
          + " the local batch of " + spec.localBatch() + ": use fewer workers or a smaller batch");
    }
    Optimizer optimizer = recipe.optimizer().get();
    boolean gradients = !spec.averaging().ofParameters();
    TrainStep<P> trainer = model.trainer(model.init(initKey(spec.seed())), recipe.loss().get(),
        gradients ? new GradientAveragingOptimizer(optimizer, group) : optimizer);
    List<INDArray> parameters = model.leaves(trainer.params());

    Path dir = spec.checkpointDir() == null ? null : Path.of(spec.checkpointDir());
    long start = 0;
    if (dir != null) {
      // Replica 0 decides, so that every replica resumes from the same step.
      start = Long.parseLong(group.gather(rank == 0 ? Long.toString(Checkpoints.latest(dir)) : "")[0]);
      if (start > 0) {
        Checkpoints.restore(dir, start, trainer);
      }
    }

    Batches batches = Batches.shuffled(shard, spec.localBatch(), shuffleKey(spec.seed(), rank)).dropLast(true);
    int perEpoch = batches.count();
    double[] losses = new double[(int) Math.max(0, spec.steps() - start)];
    long began = System.nanoTime();
    long warm = began;
    Iterator<Batch> epoch = null;
    for (long step = start; step < spec.steps(); step++) {
      int index = (int) (step % perEpoch);
      if (epoch == null || index == 0) {
        epoch = batches.epoch((int) (step / perEpoch));
        for (int skip = 0; skip < index; skip++) {
          epoch.next();
        }
      }
      Batch batch = epoch.next();
      losses[(int) (step - start)] = trainer.step(batch.features(), batch.labels());
      long done = step + 1;
      if (!gradients && (done % spec.averaging().every() == 0 || done == spec.steps())) {
        group.average(parameters);
      }
      if (dir != null && spec.checkpointEvery() > 0 && done % spec.checkpointEvery() == 0) {
        checkAgreement(group, model, trainer, done);
        if (rank == 0) {
          Checkpoints.save(dir, done, trainer);
        }
      }
      if (step == start) {
        warm = System.nanoTime();
      }
    }
    long end = System.nanoTime();
    byte[] variables = checkAgreement(group, model, trainer, spec.steps());
    return new ReplicaReport(rank, start, losses, rank == 0 ? variables : null, group.rawBytesPerExchange(),
        group.wireBytesPerExchange(), (end - began) / 1e9, (end - warm) / 1e9);
  }

  /**
   * Fails on every replica unless all replicas hold the same variables: the guard against silent
   * divergence (a replica that skipped an update, a non-deterministic op). Returns this replica's bytes.
   */
  private byte[] checkAgreement(ReplicaGroup group, ModelDefinition<P> model, TrainStep<P> trainer,
      long step) {
    byte[] variables = LeafCodec.encode(List.copyOf(model.variables(trainer.params()).values()));
    String[] hashes = group.gather(Integer.toHexString(Arrays.hashCode(variables)));
    if (Arrays.stream(hashes).distinct().count() > 1) {
      throw new IllegalStateException("replicas diverged by step " + step + ": variable hashes by rank "
          + Arrays.toString(hashes));
    }
    return variables;
  }

  /** The partition as a Kiln dataset: features through the featurizer, labels as int32 class ids. */
  private Dataset shard(Iterator<Row> rows, ModelDefinition<P> model) {
    List<Object> features = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    while (rows.hasNext()) {
      Row row = rows.next();
      features.add(row.get(0));
      Object label = row.get(1);
      if (!(label instanceof Integer || label instanceof Long || label instanceof Short || label instanceof Byte)) {
        throw new IllegalArgumentException("expected an integer class label column, found "
            + (label == null ? "null" : label.getClass().getSimpleName()));
      }
      labels.add(Math.toIntExact(((Number) label).longValue()));
    }
    if (features.isEmpty()) {
      throw new IllegalArgumentException("replica " + BarrierTaskContext.get().partitionId()
          + " received no examples: repartition the data so every worker has some");
    }
    INDArray x = spec.featurizer().batch(features, model.inputShape());
    int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
    return new Dataset(x, Nd4j.createFromArray(y));
  }
}
