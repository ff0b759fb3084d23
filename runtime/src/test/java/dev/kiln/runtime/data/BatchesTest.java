package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.runtime.random.PRNGKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BatchesTest {
  /** Example i has features [i, 10i] (shape [2, 1]) and label i, so rows can be traced. */
  static Dataset numbered(int n) {
    float[] x = new float[n * 2];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = 10 * i;
      y[i] = i;
    }
    return new Dataset(Nd4j.create(x, new long[] {n, 2, 1}, 'c'), Nd4j.createFromArray(y));
  }

  static List<Integer> labelsOf(Batches batches, int epoch) {
    List<Integer> seen = new ArrayList<>();
    for (Iterator<Batch> it = batches.epoch(epoch); it.hasNext(); ) {
      Batch b = it.next();
      for (int i = 0; i < b.size(); i++) {
        int label = b.labels().getInt(i);
        assertEquals(label, b.features().getFloat(i, 0, 0), 0, "features and label of one example stay together");
        assertEquals(10 * label, b.features().getFloat(i, 1, 0), 0);
        seen.add(label);
      }
    }
    return seen;
  }

  @Test
  void sameKeySameOrderAndEachEpochReshuffled() {
    Dataset data = numbered(23);
    PRNGKey key = new PRNGKey(0, 42);
    List<Integer> a = labelsOf(Batches.shuffled(data, 5, key), 0);
    assertEquals(a, labelsOf(Batches.shuffled(data, 5, key), 0));
    List<Integer> epoch1 = labelsOf(Batches.shuffled(data, 5, key), 1);
    assertFalse(a.equals(epoch1), "epochs are reshuffled");
    assertFalse(a.equals(labelsOf(Batches.shuffled(data, 5, new PRNGKey(0, 43)), 0)), "another key, another order");
    List<Integer> sorted = new ArrayList<>(a);
    sorted.sort(null);
    assertEquals(labelsOf(Batches.sequential(data, 5), 0), sorted, "every example exactly once");
  }

  @Test
  void reusesOneBufferPerBatchSize() {
    Batches batches = Batches.shuffled(numbered(23), 5, new PRNGKey(0, 1));
    List<Batch> served = new ArrayList<>();
    for (int epoch = 0; epoch < 2; epoch++) {
      batches.epoch(epoch).forEachRemaining(served::add);
    }
    assertEquals(10, served.size());
    Batch full = served.get(0);
    Batch partial = served.get(4);
    assertEquals(5, full.size());
    assertEquals(3, partial.size());
    for (int i = 0; i < served.size(); i++) {
      Batch expected = i % 5 == 4 ? partial : full;
      assertSame(expected.features(), served.get(i).features());
      assertSame(expected.labels(), served.get(i).labels());
    }
  }

  @Test
  void dropsTheLastPartialBatchWhenAsked() {
    Batches batches = Batches.sequential(numbered(23), 5).dropLast(true);
    assertEquals(4, batches.count());
    assertEquals(20, batches.examples());
    assertEquals(20, labelsOf(batches, 0).size());
    assertEquals(5, Batches.sequential(numbered(23), 5).count());
  }

  @Test
  void subsetSharesRows() {
    Dataset sub = numbered(10).subset(3, 7);
    assertEquals(4, sub.size());
    assertArrayEquals(new int[] {3, 4, 5, 6}, sub.labels().toIntVector());
    assertEquals(Arrays.asList(3, 4, 5, 6), labelsOf(Batches.sequential(sub, 3), 0));
    assertEquals(DataType.FLOAT, sub.features().dataType());
  }

  @Test
  void augmentationChangesEachServedBatchInPlaceWithItsOwnKey() {
    Dataset data = numbered(23);
    INDArray before = data.features().dup();
    PRNGKey key = new PRNGKey(0, 42);
    List<PRNGKey> keys = new ArrayList<>();
    Batches plain = Batches.shuffled(data, 5, key);
    Batches negated = plain.augment((features, k) -> {
      keys.add(k);
      features.negi();
    });
    for (int epoch = 0; epoch < 2; epoch++) {
      Iterator<Batch> a = plain.epoch(epoch);
      Iterator<Batch> b = negated.epoch(epoch);
      for (int index = 0; a.hasNext(); index++) {
        Batch expected = a.next();
        Batch augmented = b.next();
        assertEquals(expected.labels(), augmented.labels(), "augmentation keeps the order and the labels");
        assertEquals(expected.features().neg(), augmented.features());
        assertEquals(key.foldIn(epoch).foldIn(2).foldIn(index), keys.get(keys.size() - 1));
      }
      assertFalse(b.hasNext());
    }
    assertEquals(10, keys.size(), "one call per batch, 5 batches in each of 2 epochs");
    assertEquals(before, data.features(), "the dataset itself is never augmented");
  }

  @Test
  void batchesWithoutAugmentationAreTheDatasetRows() {
    Dataset data = numbered(23);
    Batches batches = Batches.shuffled(data, 5, new PRNGKey(0, 3));
    int[] order = batches.order(0);
    int served = 0;
    for (Iterator<Batch> it = batches.epoch(0); it.hasNext(); ) {
      Batch b = it.next();
      for (int i = 0; i < b.size(); i++) {
        assertEquals(data.features().slice(order[served++]), b.features().slice(i));
      }
    }
    assertEquals(23, served);
  }

  @Test
  void sameKeySameAugmentedBatches() {
    Dataset images = new Dataset(Nd4j.rand(DataType.FLOAT, 12, 4, 4, 1), Nd4j.zeros(DataType.INT32, 12));
    List<INDArray> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      Batches batches = Batches.shuffled(images, 4, new PRNGKey(0, 8)).augment(Augmentations.randomHorizontalFlip());
      List<INDArray> served = new ArrayList<>();
      batches.epoch(1).forEachRemaining(b -> served.add(b.features().dup()));
      runs.add(Nd4j.concat(0, served.toArray(new INDArray[0])));
    }
    assertEquals(runs.get(0), runs.get(1));
    List<INDArray> plain = new ArrayList<>();
    Batches.shuffled(images, 4, new PRNGKey(0, 8)).epoch(1).forEachRemaining(b -> plain.add(b.features().dup()));
    assertFalse(runs.get(0).equals(Nd4j.concat(0, plain.toArray(new INDArray[0]))), "some image was flipped");
  }

  @Test
  void onlyShuffledBatchesCanBeAugmented() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Batches.sequential(numbered(4), 2).augment((features, key) -> {}));
    assertEquals("only shuffled batches can be augmented: their key drives the augmentation", e.getMessage());
  }
}
