package dev.kiln.runtime.text;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sentences as an {@code Embed} layer's input: token ids {@code [N, T]}, each row a sentence's
 * first {@code T} tokens (W2 keeps the first 32 and drops the rest) followed by {@link Vocabulary#PAD}
 * up to {@code T}, plus each row's number of real tokens.
 *
 * <p>The ids are int32: they are indexes, int32 is what ND4J's gather ops take, and a model
 * cannot mistake them for features to scale. Because no token has id 0, the padding mask is
 * {@code ids != PAD}, and {@code lengths[i]} is the count of non-zero ids in row {@code i}; a model
 * may use either. The arrays are not copied: treat them as read-only.
 *
 * @param ids int32 {@code [N, T]}, C order
 * @param lengths the number of real (non-padding) tokens of each row, {@code 0..T}
 */
public record Sequences(INDArray ids, int[] lengths) {

  /** Tokenizes each sentence with {@link Tokenizer} and encodes it with {@code vocabulary}, to {@code length} ids. */
  public static Sequences encode(List<String> sentences, Vocabulary vocabulary, int length) {
    if (sentences.isEmpty()) {
      throw new IllegalArgumentException("no sentences to encode");
    }
    if (length < 1) {
      throw new IllegalArgumentException("sequence length must be >= 1, found " + length);
    }
    int[] ids = new int[sentences.size() * length]; // zero-filled: PAD
    int[] lengths = new int[sentences.size()];
    for (int row = 0; row < sentences.size(); row++) {
      List<String> tokens = Tokenizer.tokens(sentences.get(row));
      lengths[row] = Math.min(tokens.size(), length);
      for (int t = 0; t < lengths[row]; t++) {
        ids[row * length + t] = vocabulary.id(tokens.get(t));
      }
    }
    return new Sequences(Nd4j.createFromArray(ids).reshape('c', sentences.size(), length), lengths);
  }
}
