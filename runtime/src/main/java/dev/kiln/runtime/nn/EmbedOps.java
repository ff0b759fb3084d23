package dev.kiln.runtime.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Flax's {@code nn.Embed}: a lookup of one row of the table {@code E [V, F]} per token id. For ids
 * {@code [B, T]}:
 *
 * <pre>
 *   forward:   y[b,t,:] = E[ids[b,t], :]
 *   backward:  given G = dL/dy [B, T, F]
 *              dL/dE[v,:] = sum over (b,t) with ids[b,t] = v of G[b,t,:]   (dy[b,t,:]/dE[v,:] = [ids[b,t] = v])
 * </pre>
 *
 * so a token that occurs several times adds up its gradients, and rows of tokens that do not occur
 * get zero. The ids are not differentiable.
 *
 * <p>Flax does not reject an out-of-range id ({@code nn.Embed} uses {@code jnp.take}, which fills
 * such rows with NaN by default); here an id outside {@code [0, V)} is an error naming where it is.
 * Token id 0 is the padding of right-padded rows: {@code forward} can count each row's other
 * tokens, its sequence length, for {@link LstmOps}' {@code lengths}.
 *
 * <p>Results are written into caller-given arrays; {@code out}, {@code dOut} and {@code dEmbedding}
 * must be C-ordered contiguous (see {@link Reshapes#asMatrix}). The ids may have any numeric type
 * (Flax wants an integer array; integer ids held by a float array work here too); the embedding
 * and its gradients are float32 or float64, one type for all.
 */
public final class EmbedOps {
  private EmbedOps() {}

  /**
   * {@code out[b,t,:] = embedding[ids[b,t], :]}.
   *
   * @param ids {@code [B, T]} token ids in {@code [0, V)}
   * @param embedding {@code [V, F]}
   * @param out {@code [B, T, F]}; overwritten
   * @param lengths {@code [B]}, any numeric type: receives per row the number of ids that are not
   *     the padding id 0 (the length of a right-padded row); {@code null} skips it
   * @throws IllegalArgumentException for an id outside {@code [0, V)} or not an integer
   */
  public static void forward(INDArray ids, INDArray embedding, INDArray out, INDArray lengths) {
    long[] rows = rows(ids, embedding.size(0));
    requireShape("output", ids, embedding.size(1), out);
    INDArray out2 = Reshapes.asMatrix(out, embedding.size(1), "Embed output");
    Nd4j.exec(
        DynamicCustomOp.builder("gather")
            .addInputs(embedding, Nd4j.createFromArray(rows))
            .addOutputs(out2)
            .addIntegerArguments(0)
            .build());
    if (lengths != null) {
      writeLengths(ids, rows, lengths);
    }
  }

  /** {@link #forward(INDArray, INDArray, INDArray, INDArray)} with the parameters as a record. */
  public static void forward(INDArray ids, EmbedParams params, INDArray out, INDArray lengths) {
    forward(ids, params.embedding(), out, lengths);
  }

  /**
   * {@code dEmbedding = dL/dE}, the scatter-add of the rows of {@code dOut} at their ids; overwritten,
   * not accumulated.
   *
   * @param ids the forward ids {@code [B, T]}
   * @param dOut {@code [B, T, F]}
   * @param dEmbedding {@code [V, F]}
   */
  public static void backward(INDArray ids, INDArray dOut, INDArray dEmbedding) {
    long[] rows = rows(ids, dEmbedding.size(0));
    requireShape("output gradient", ids, dEmbedding.size(1), dOut);
    INDArray g2 = Reshapes.asMatrix(dOut, dEmbedding.size(1), "Embed output gradient");
    dEmbedding.assign(0);
    // In place; lock = true adds the updates one after the other, so repeated ids cannot race.
    Nd4j.exec(
        DynamicCustomOp.builder("scatter_add")
            .addInputs(dEmbedding, Nd4j.createFromArray(rows), g2)
            .addOutputs(dEmbedding)
            .addBooleanArguments(true)
            .callInplace(true)
            .build());
  }

  /** {@link #backward(INDArray, INDArray, INDArray)} with the gradient as a record. */
  public static void backward(INDArray ids, INDArray dOut, EmbedParams grads) {
    backward(ids, dOut, grads.embedding());
  }

  /** The ids in C order as row numbers of the table, checked against {@code [0, vocabulary)}. */
  private static long[] rows(INDArray ids, long vocabulary) {
    if (ids.rank() != 2) {
      throw new IllegalArgumentException("Embed ids must be [B, T], got " + Arrays.toString(ids.shape()));
    }
    double[] values = ids.dup('c').data().asDouble();
    long[] rows = new long[values.length];
    long steps = ids.size(1);
    for (int i = 0; i < values.length; i++) {
      double id = values[i];
      if (id != Math.rint(id)) {
        throw badId(id, i, steps, "is not an integer");
      }
      if (id < 0) {
        throw badId(id, i, steps, "is negative (the vocabulary has " + vocabulary + " ids)");
      }
      if (id >= vocabulary) {
        throw badId(id, i, steps, "is past the vocabulary of " + vocabulary + " ids");
      }
      rows[i] = (long) id;
    }
    return rows;
  }

  private static void writeLengths(INDArray ids, long[] rows, INDArray lengths) {
    long batch = ids.size(0);
    int steps = (int) ids.size(1);
    if (lengths.rank() != 1 || lengths.length() != batch) {
      throw new IllegalArgumentException(
          "Embed lengths must be [" + batch + "], got " + Arrays.toString(lengths.shape()));
    }
    for (int b = 0; b < batch; b++) {
      int n = 0;
      for (int t = 0; t < steps; t++) {
        if (rows[b * steps + t] != 0) {
          n++;
        }
      }
      lengths.putScalar(b, n);
    }
  }

  /** "token id 12000 at [3, 7] is past the vocabulary of 10000 ids": the id at C-order index i. */
  private static IllegalArgumentException badId(double id, int i, long steps, String problem) {
    String shown = id == Math.rint(id) && Math.abs(id) < 1e15 ? Long.toString((long) id) : Double.toString(id);
    return new IllegalArgumentException(
        "token id " + shown + " at [" + i / steps + ", " + i % steps + "] " + problem);
  }

  private static void requireShape(String what, INDArray ids, long features, INDArray a) {
    long[] expected = {ids.size(0), ids.size(1), features};
    if (!Arrays.equals(expected, a.shape())) {
      throw new IllegalArgumentException(
          "Embed " + what + " must be " + Arrays.toString(expected) + ", got " + Arrays.toString(a.shape()));
    }
  }
}
