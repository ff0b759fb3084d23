package dev.kiln.spark;

import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.model.ModelDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scores a DataFrame with a saved checkpoint: every partition builds the model once from the broadcast
 * variables and runs it batch by batch, adding the predicted class ({@code prediction}, int) and its
 * probability ({@code probability}, double) to each row. A model with one output is read as a sigmoid
 * logit (class 1 when the probability passes 0.5); a model with several as softmax logits.
 */
public final class BatchScorer<P extends Record> {
  private final Factory<? extends ModelDefinition<P>> model;
  private final Path checkpoint;
  private final Featurizer featurizer;
  private final int batchSize;

  /**
   * @param model the generated model, e.g. {@code () -> TinyNetModel.INSTANCE}
   * @param checkpoint a {@code .safetensors} or {@code .npz} file of the model's variables, read on the driver
   * @param featurizer turns the input column into model input ({@link Featurizer#numbers()} for images)
   * @param batchSize rows per forward pass
   */
  public BatchScorer(Factory<? extends ModelDefinition<P>> model, Path checkpoint, Featurizer featurizer, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be positive, found " + batchSize);
    }
    this.model = model;
    this.checkpoint = checkpoint;
    this.featurizer = featurizer;
    this.batchSize = batchSize;
  }

  /**
   * {@code data} with {@code prediction} and {@code probability} appended, partition by partition.
   *
   * @throws dev.kiln.runtime.io.ParameterMismatchException when the checkpoint does not fit the model
   */
  public Dataset<Row> score(Dataset<Row> data, String inputColumn) {
    int column = data.schema().fieldIndex(inputColumn);
    ModelDefinition<P> definition = model.get();
    var variables = read();
    definition.fromFlax(variables); // fail here, on the driver, for a checkpoint of another model
    Broadcast<ShippedVariables> shipped = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext())
        .broadcast(new ShippedVariables(variables));
    Factory<? extends ModelDefinition<P>> factory = model;
    Featurizer features = featurizer;
    int size = batchSize;
    JavaRDD<Row> scored = data.javaRDD().mapPartitions(rows -> {
      ModelDefinition<P> m = factory.get();
      UnaryOperator<INDArray> predictor = m.predictor(m.fromFlax(shipped.value().arrays()));
      return new PredictionIterator(rows, column, size, batch -> predictor.apply(features.batch(batch, m.inputShape())));
    });
    StructType schema = data.schema()
        .add("prediction", DataTypes.IntegerType, false)
        .add("probability", DataTypes.DoubleType, false);
    return data.sparkSession().createDataFrame(scored, schema);
  }

  private LinkedHashMap<String, INDArray> read() {
    try {
      return ParameterFiles.load(checkpoint);
    } catch (IOException e) {
      throw new UncheckedIOException("reading checkpoint " + checkpoint + ": " + e.getMessage(), e);
    }
  }

  /** Rows in, rows with the prediction appended out, one forward pass per {@code size} rows. */
  private static final class PredictionIterator implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final int column;
    private final int size;
    private final Function<List<Object>, INDArray> forward;
    private final List<Row> pending = new ArrayList<>();
    private int next;

    PredictionIterator(Iterator<Row> rows, int column, int size,
        Function<List<Object>, INDArray> forward) {
      this.rows = rows;
      this.column = column;
      this.size = size;
      this.forward = forward;
    }

    @Override
    public boolean hasNext() {
      if (next < pending.size()) {
        return true;
      }
      pending.clear();
      next = 0;
      List<Row> batch = new ArrayList<>(size);
      List<Object> inputs = new ArrayList<>(size);
      while (batch.size() < size && rows.hasNext()) {
        Row r = rows.next();
        batch.add(r);
        inputs.add(r.get(column));
      }
      if (batch.isEmpty()) {
        return false;
      }
      INDArray logits = forward.apply(inputs);
      for (int i = 0; i < batch.size(); i++) {
        pending.add(append(batch.get(i), logits.getRow(i)));
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException("no more rows");
      }
      return pending.get(next++);
    }

    private static Row append(Row row, INDArray logits) {
      int classes = (int) logits.length();
      int best;
      double probability;
      if (classes == 1) {
        probability = 1 / (1 + Math.exp(-logits.getDouble(0)));
        best = probability > 0.5 ? 1 : 0;
        probability = best == 1 ? probability : 1 - probability;
      } else {
        best = 0;
        for (int k = 1; k < classes; k++) {
          if (logits.getDouble(k) > logits.getDouble(best)) {
            best = k;
          }
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
          sum += Math.exp(logits.getDouble(k) - logits.getDouble(best));
        }
        probability = 1 / sum;
      }
      Object[] values = new Object[row.size() + 2];
      for (int i = 0; i < row.size(); i++) {
        values[i] = row.get(i);
      }
      values[row.size()] = best;
      values[row.size() + 1] = probability;
      return RowFactory.create(values);
    }
  }
}
