package dev.kiln.spark;

import dev.kiln.examples.FashionCnn;
import dev.kiln.examples.FashionCnnModel;
import dev.kiln.runtime.data.Batch;
import dev.kiln.runtime.data.Batches;
import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.model.TrainStep;
import dev.kiln.runtime.optim.Optax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * WORKLOADS.md W1 (FashionCnn, Adam 1e-3, global batch 128) trained data-parallel with 1, 2 and 4
 * replicas for a few steps, against the same steps in one process without Spark: images per second
 * after the first step, and the bytes each replica sends per step. Arguments: {@code master steps
 * workers... [allgather]}, e.g. {@code local[4] 20 1 2 4}. Not a test: run by spark/scripts/w1-scaling.sh.
 */
public final class W1Scaling {
  private static final int GLOBAL_BATCH = 128;

  private W1Scaling() {}

  public static void main(String[] args) throws Exception {
    String master = args[0];
    int steps = Integer.parseInt(args[1]);
    List<Integer> workers = new ArrayList<>();
    boolean allGatherToo = false;
    for (int i = 2; i < args.length; i++) {
      if (args[i].equals("allgather")) {
        allGatherToo = true;
      } else {
        workers.add(Integer.parseInt(args[i]));
      }
    }
    Dataset train = FashionMnist.train().subset(0, GLOBAL_BATCH * steps);
    System.out.printf("load average before: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.printf("single process, no Spark: %.0f images/s%n", singleProcess(train, Math.min(steps, 20)));

    // On a standalone cluster the executors need Kiln and ND4J: the script passes the class path.
    SparkSession spark = SparkSession.builder().master(master).appName("kiln-w1-scaling")
        .config("spark.ui.enabled", "false")
        .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
        .getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    List<Row> rows = new ArrayList<>(train.size());
    float[] pixels = train.features().dup('c').data().asFloat();
    int[] labels = train.labels().toIntVector();
    for (int i = 0; i < train.size(); i++) {
      float[] image = new float[784];
      System.arraycopy(pixels, i * 784, image, 0, 784);
      rows.add(RowFactory.create(image, labels[i]));
    }
    Recipe<FashionCnn> recipe = new Recipe<>(() -> FashionCnnModel.INSTANCE, Losses::softmaxCrossEntropy,
        () -> Optax.adam(1e-3));
    System.out.println("| replicas | exchange | local batch | steps | images/s | bytes sent per replica per step"
        + " (raw / wire) | loss first -> last |");
    for (int w : workers) {
      for (Exchange exchange : allGatherToo ? Exchange.values() : new Exchange[] {Exchange.RING}) {
        var frame = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(rows, w), SparkTestData.SCHEMA);
        DataParallelResult<FashionCnn> r = new DataParallelTrainer<>(recipe,
            DataParallelSpec.of(GLOBAL_BATCH / w, steps, 0).exchange(exchange)).fit(frame, "image", "label", w);
        System.out.printf("| %d | %s | %d | %d | %.0f | %,d / %,d | %.3f -> %.3f |%n", w, exchange, GLOBAL_BATCH / w,
            steps, r.examplesPerSecond(), r.rawBytesPerExchange(), r.wireBytesPerExchange(), r.losses()[0],
            r.losses()[r.losses().length - 1]);
      }
    }
    System.out.printf("load average after: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
    spark.stop();
  }

  /** The same steps with the generated trainer alone: images per second after the first step. */
  private static double singleProcess(Dataset train, int steps) {
    FashionCnnModel model = FashionCnnModel.INSTANCE;
    TrainStep<FashionCnn> trainer = model.trainer(model.init(ReplicaTraining.initKey(0)),
        Losses.softmaxCrossEntropy(), Optax.adam(1e-3));
    Iterator<Batch> batches = Batches.shuffled(train, GLOBAL_BATCH, ReplicaTraining.shuffleKey(0, 0)).epoch(0);
    long warm = 0;
    for (int step = 0; step < steps; step++) {
      Batch b = batches.next();
      trainer.step(b.features(), b.labels());
      if (step == 0) {
        warm = System.nanoTime();
      }
    }
    return (steps - 1) * (double) GLOBAL_BATCH / ((System.nanoTime() - warm) / 1e9);
  }
}
