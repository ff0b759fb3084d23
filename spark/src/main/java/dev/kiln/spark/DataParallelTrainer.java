package dev.kiln.spark;

import dev.kiln.runtime.model.ModelDefinition;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.reflect.ClassTag$;

/**
 * Synchronous data-parallel training on Spark. The data is split into one partition per worker; a
 * barrier stage runs one replica per partition (all start together, or none does); every step each
 * replica computes gradients on its local batch, the gradients are averaged across replicas with
 * {@code allGather}, and every replica applies the same optimizer update. The result equals
 * single-process training on the concatenated batches.
 *
 * <pre>{@code
 * var recipe = new Recipe<>(() -> TinyNetModel.INSTANCE, Losses::softmaxCrossEntropy, () -> Optax.adam(1e-3));
 * var result = new DataParallelTrainer<>(recipe, DataParallelSpec.of(32, 500, 0)).fit(df, "image", "label", 4);
 * }</pre>
 */
public final class DataParallelTrainer<P extends Record> {
  private final Recipe<P> recipe;
  private final DataParallelSpec spec;

  public DataParallelTrainer(Recipe<P> recipe, DataParallelSpec spec) {
    this.recipe = Objects.requireNonNull(recipe, "recipe");
    this.spec = Objects.requireNonNull(spec, "spec");
  }

  /**
   * Trains on {@code data} with {@code workers} replicas. A DataFrame with exactly {@code workers}
   * partitions is used as it is partitioned (each partition one replica's shard); otherwise it is
   * repartitioned. The cluster must offer {@code workers} task slots at once (barrier scheduling).
   *
   * @throws DataParallelTrainingException when a replica failed and Spark gave up on the stage
   */
  public DataParallelResult<P> fit(Dataset<Row> data, String featuresColumn, String labelColumn, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("need at least one worker, found " + workers);
    }
    JavaRDD<Row> rows = data.select(featuresColumn, labelColumn).javaRDD();
    if (rows.getNumPartitions() != workers) {
      rows = rows.repartition(workers);
    }
    List<ReplicaReport> reports;
    try {
      reports = rows.rdd().barrier()
          .mapPartitions(new ReplicaTraining<>(recipe, spec), false, ClassTag$.MODULE$.apply(ReplicaReport.class))
          .toJavaRDD().collect();
    } catch (Exception e) {
      throw failure(e);
    }
    return result(reports);
  }

  private DataParallelTrainingException failure(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String checkpoint = "no checkpoint was written";
    if (spec.checkpointDir() != null) {
      long latest = Checkpoints.latest(Path.of(spec.checkpointDir()));
      if (latest > 0) {
        checkpoint = "the newest checkpoint is step " + latest + " ("
            + Checkpoints.parameters(Path.of(spec.checkpointDir()), latest) + "); running again resumes there";
      }
    }
    return new DataParallelTrainingException("data-parallel training failed: a replica failed and the barrier"
        + " stage was abandoned (" + root.getClass().getSimpleName() + ": " + root.getMessage() + "); "
        + checkpoint, e);
  }

  private DataParallelResult<P> result(List<ReplicaReport> reports) {
    List<ReplicaReport> byRank = reports.stream().sorted(Comparator.comparingInt(ReplicaReport::rank)).toList();
    ReplicaReport first = byRank.get(0);
    double[] losses = new double[first.losses().length];
    for (ReplicaReport r : byRank) {
      for (int i = 0; i < losses.length; i++) {
        losses[i] += r.losses()[i] / byRank.size();
      }
    }
    ModelDefinition<P> model = recipe.model().get();
    LinkedHashMap<String, INDArray> variables = model.variables(model.init(ReplicaTraining.initKey(spec.seed())));
    LeafCodec.average(List.of(first.variables()), List.copyOf(variables.values()));
    P params = model.fromFlax(variables);
    double warm = byRank.stream().mapToDouble(ReplicaReport::warmSeconds).max().orElse(0);
    return new DataParallelResult<>(params, losses, first.startStep(), byRank.size(),
        byRank.size() * spec.localBatch(), first.rawBytesPerExchange(), first.wireBytesPerExchange(), warm);
  }
}
