package dev.kiln.runtime.nn;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameters of a Flax {@code nn.Embed(num_embeddings=V, features=F)}.
 *
 * @param embedding {@code [V, F]} ({@code params/<name>/embedding}): row {@code v} is the vector of
 *     token id {@code v}
 */
public record EmbedParams(INDArray embedding) {
  public EmbedParams {
    Objects.requireNonNull(embedding, "embedding");
    if (embedding.rank() != 2) {
      throw new IllegalArgumentException(
          "Embed embedding must be [V, F], got " + Arrays.toString(embedding.shape()));
    }
  }

  /** {@code V}, the number of token ids. */
  public long vocabularySize() {
    return embedding.size(0);
  }

  /** {@code F}, the length of one embedding vector. */
  public long features() {
    return embedding.size(1);
  }
}
