package dev.kiln.spark;

import dev.kiln.runtime.text.Sequences;
import dev.kiln.runtime.text.Vocabulary;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.jdk.javaapi.CollectionConverters;

/** Turns the values of one DataFrame column, row by row, into a model's input batch. */
@FunctionalInterface
public interface Featurizer extends Serializable {
  /**
   * The batch {@code [values.size(), ...inputShape]} for a model whose per-example input shape is
   * {@code inputShape} (-1 for a symbolic size, taken from the values).
   */
  INDArray batch(List<Object> values, long[] inputShape);

  /**
   * Numbers per row: {@code array<float>} or {@code array<double>} (float32 features),
   * {@code array<int>} or {@code array<bigint>} (int32 token ids), or {@code binary} (one unsigned byte
   * per pixel, scaled to [0, 1] as IDX images are). Every row must hold one example's worth.
   */
  static Featurizer numbers() {
    return Featurizer::numbers;
  }

  /**
   * Texts ({@code string}), tokenized and encoded with the vocabulary saved at {@code vocabularyFile}
   * to {@code length} ids, as {@link Sequences#encode} does in training. The file is read on every
   * executor, so it must be reachable there.
   */
  static Featurizer texts(String vocabularyFile, int length) {
    return new Featurizer() {
      private transient Vocabulary vocabulary;

      @Override
      public INDArray batch(List<Object> values, long[] inputShape) {
        if (vocabulary == null) {
          try {
            vocabulary = Vocabulary.load(Path.of(vocabularyFile));
          } catch (IOException e) {
            throw new UncheckedIOException("reading vocabulary " + vocabularyFile + ": " + e.getMessage(), e);
          }
        }
        List<String> texts = values.stream().map(v -> {
          if (!(v instanceof String s)) {
            throw new IllegalArgumentException("expected a string column of texts, found " + describe(v));
          }
          return s;
        }).toList();
        return Sequences.encode(texts, vocabulary, length).ids();
      }
    };
  }

  private static INDArray numbers(List<Object> values, long[] inputShape) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no rows to make a batch of");
    }
    int perExample = -1;
    boolean ids = false;
    float[] floats = null;
    int[] ints = null;
    for (int row = 0; row < values.size(); row++) {
      Object v = values.get(row);
      if (v instanceof scala.collection.Seq<?> seq) { // how Spark rows hold arrays
        v = CollectionConverters.asJava(seq);
      }
      int length = v instanceof byte[] b ? b.length : v instanceof List<?> l ? l.size() : -1;
      if (length < 0) {
        throw new IllegalArgumentException("expected an array<float>, array<int> or binary column, found "
            + describe(v));
      }
      if (row == 0) {
        perExample = length;
        ids = v instanceof List<?> l && !l.isEmpty() && (l.get(0) instanceof Integer || l.get(0) instanceof Long);
        if (ids) {
          ints = new int[values.size() * perExample];
        } else {
          floats = new float[values.size() * perExample];
        }
      } else if (length != perExample) {
        throw new IllegalArgumentException("row " + row + " holds " + length + " values, row 0 holds "
            + perExample + ": every example must have the same size");
      }
      int at = row * perExample;
      if (v instanceof byte[] pixels) {
        for (int i = 0; i < length; i++) {
          floats[at + i] = (pixels[i] & 0xff) / 255f;
        }
      } else {
        List<?> list = (List<?>) v;
        for (int i = 0; i < length; i++) {
          Number n = (Number) list.get(i);
          if (ids) {
            ints[at + i] = Math.toIntExact(n.longValue());
          } else {
            floats[at + i] = n.floatValue();
          }
        }
      }
    }
    long[] shape = batchShape(values.size(), perExample, inputShape);
    return ids ? Nd4j.createFromArray(ints).reshape('c', shape) : Nd4j.createFromArray(floats).reshape('c', shape);
  }

  /** {@code [rows, ...inputShape]} with a symbolic size solved from the values per row. */
  private static long[] batchShape(int rows, int perExample, long[] inputShape) {
    long known = 1;
    int symbolic = -1;
    for (int i = 0; i < inputShape.length; i++) {
      if (inputShape[i] < 0) {
        symbolic = i;
      } else {
        known *= inputShape[i];
      }
    }
    long[] shape = new long[inputShape.length + 1];
    shape[0] = rows;
    System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
    if (symbolic >= 0 && known > 0 && perExample % known == 0) {
      shape[symbolic + 1] = perExample / known;
    } else if (symbolic >= 0 || known != perExample) {
      throw new IllegalArgumentException("the model expects examples shaped " + Arrays.toString(inputShape)
          + " (" + (symbolic >= 0 ? "a multiple of " : "") + known + " values), a row holds " + perExample);
    }
    return shape;
  }

  private static String describe(Object v) {
    return v == null ? "null" : v.getClass().getSimpleName();
  }
}
