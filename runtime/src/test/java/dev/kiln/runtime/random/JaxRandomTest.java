package dev.kiln.runtime.random;

import static dev.kiln.runtime.random.Fixtures.assertBitExact;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.testing.Parity;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The samplers against {@code rng/*} in flax_ops.npz (all from PRNGKey(42)), bit for bit. */
class JaxRandomTest {
  private static final PRNGKey KEY = PRNGKey.of(42);

  @Test
  void bitsMatchJax() {
    assertArrayEquals(Parity.ops().raw("rng/bits").toInts(), JaxRandom.bits(KEY, 8));
  }

  @Test
  void drawsDependOnlyOnTheirIndex() {
    assertArrayEquals(JaxRandom.bits(KEY, 8), Arrays.copyOf(JaxRandom.bits(KEY, 3, 3, 1, 32), 8));
  }

  @Test
  void uniformMatchesJax() {
    assertBitExact(Parity.ops().raw("rng/uniform"), JaxRandom.uniform(KEY, 0f, 1f, 8), "uniform");
  }

  @Test
  void normalMatchesJax() {
    assertBitExact(Parity.ops().raw("rng/normal"), JaxRandom.normal(KEY, 8), "normal");
  }

  @Test
  void truncatedNormalMatchesJax() {
    assertBitExact(Parity.ops().raw("rng/truncated_normal"), JaxRandom.truncatedNormal(KEY, -2f, 2f, 8),
        "truncated_normal");
  }

  @Test
  void uniformStaysInRange() {
    float[] v = JaxRandom.uniform(KEY, -3f, 5f, 1000).data().asFloat();
    for (float x : v) {
      assertTrue(x >= -3f && x < 5f, "uniform value " + x);
    }
  }

  @Test
  void scalarShapeGivesScalar() {
    INDArray s = JaxRandom.normal(KEY);
    assertEquals(0, s.rank());
    assertEquals(Parity.ops().raw("rng/normal").toFloats()[0], s.getFloat(0));
  }

  /** Flax's Dropout(0.3) with rngs={'dropout': PRNGKey(3)}: bernoulli(make_rng('dropout'), 0.7). */
  @Test
  void bernoulliGivesFlaxDropoutMask() {
    float[] y = Parity.ops2().raw("dropout/y").toFloats();
    PRNGKey key = new FlaxRng(PRNGKey.of(3)).root().nextKey();
    float[] mask = JaxRandom.bernoulli(key, 0.7f, 4, 8).data().asFloat();
    for (int i = 0; i < y.length; i++) {
      assertEquals(y[i] != 0f ? 1f : 0f, mask[i], "mask[" + i + "]");
    }
  }

  @Test
  void permutationIsADeterministicShuffle() {
    int[] p = JaxRandom.permutation(KEY, 1000);
    assertArrayEquals(p, JaxRandom.permutation(KEY, 1000));
    int[] sorted = p.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertEquals(i, sorted[i]);
    }
    assertNotEquals(Arrays.toString(sorted), Arrays.toString(p));
    assertNotEquals(Arrays.toString(p), Arrays.toString(JaxRandom.permutation(KEY.foldIn(1), 1000)));
    assertEquals(0, JaxRandom.permutation(KEY, 0).length);
    assertArrayEquals(new int[] {0}, JaxRandom.permutation(KEY, 1));
  }

  /** One round sorts 0..n-1 by bits(split(key)[1], n) as unsigned words, as JAX's _shuffle does. */
  @Test
  void permutationSortsByTheSubkeysBits() {
    int[] words = JaxRandom.bits(KEY.split()[1], 50);
    int[] p = JaxRandom.permutation(KEY, 50);
    for (int i = 1; i < p.length; i++) {
      assertTrue(Integer.compareUnsigned(words[p[i - 1]], words[p[i]]) < 0);
    }
  }

  @Test
  void gumbelIsMinusLogMinusLogOfJaxUniformAboveTiny() {
    float[] u = JaxRandom.uniform(KEY, Float.MIN_NORMAL, 1f, 16).toFloatVector();
    float[] g = JaxRandom.gumbel(KEY, 4, 4).reshape(16).toFloatVector();
    for (int i = 0; i < 16; i++) {
      assertEquals((float) -Math.log(-Math.log(u[i])), g[i]);
    }
  }

  @Test
  void categoricalDrawsSoftmaxProbabilitiesPerRow() {
    // logits log(0.2), log(0.8) in each of 4000 rows: class 1 about 80% of the time; -inf never drawn
    INDArray logits = org.nd4j.linalg.factory.Nd4j.createFromArray(
        new float[] {(float) Math.log(0.2), (float) Math.log(0.8), Float.NEGATIVE_INFINITY}).reshape(1, 3)
        .repeat(0, 4000).reshape(2000, 2, 3);
    int[] classes = JaxRandom.categorical(KEY, logits);
    assertEquals(4000, classes.length);
    assertTrue(Arrays.stream(classes).allMatch(c -> c == 0 || c == 1));
    assertEquals(0.8, Arrays.stream(classes).sum() / 4000.0, 0.02);
  }
}
