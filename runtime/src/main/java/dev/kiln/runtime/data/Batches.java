package dev.kiln.runtime.data;

import dev.kiln.runtime.random.JaxRandom;
import dev.kiln.runtime.random.PRNGKey;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A dataset cut into batches, in an order drawn from a PRNG key each epoch (epoch {@code e} uses
 * {@code jax.random.permutation(fold_in(key, e), n)}, so a run is reproducible, matches JAX's order
 * for the same key, and every epoch is reshuffled) or in dataset order without a key (for
 * evaluation).
 *
 * <p>Rows are gathered into preallocated buffers: one pair for full batches and one for the last,
 * partial batch, both allocated once and reused for every batch of every epoch, so iterating
 * allocates no array memory. Whether the partial batch is served or dropped is a setting; it is
 * served by default, so every example is seen once per epoch.
 *
 * <p>Shuffled batches may be {@linkplain #augment augmented}: the augmentation changes each filled
 * buffer in place, with a key of its own per batch.
 */
public final class Batches {
  /** The slot of {@code split(fold_in(key, epoch))} that augmentation keys derive from; see {@link #augment}. */
  private static final int AUGMENTATION_STREAM = 2;

  private final Dataset data;
  private final int batchSize;
  private final PRNGKey key;
  private final boolean dropLast;
  private final Augmentation augmentation;
  private final INDArray features2d;
  private final INDArray labels2d;
  private Buffers full;
  private Buffers partial;

  private Batches(Dataset data, int batchSize, PRNGKey key, boolean dropLast, Augmentation augmentation) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, found " + batchSize);
    }
    this.data = data;
    this.batchSize = batchSize;
    this.key = key;
    this.dropLast = dropLast;
    this.augmentation = augmentation;
    this.features2d = data.features().reshape(data.size(), rowLength(data.features()));
    this.labels2d = data.labels().reshape(data.size(), rowLength(data.labels()));
  }

  /** Batches shuffled each epoch from {@code key}; the last partial batch is kept. */
  public static Batches shuffled(Dataset data, int batchSize, PRNGKey key) {
    return new Batches(data, batchSize, key, false, null);
  }

  /** Batches in dataset order (for evaluation); the last partial batch is kept. */
  public static Batches sequential(Dataset data, int batchSize) {
    return new Batches(data, batchSize, null, false, null);
  }

  /** The same batches, with the last partial batch of each epoch dropped ({@code true}) or kept. */
  public Batches dropLast(boolean drop) {
    return new Batches(data, batchSize, key, drop, augmentation);
  }

  /**
   * The same batches, each changed in place by {@code augmentation} right after its buffer is
   * filled. Batch {@code b} of epoch {@code e} gets the key {@code fold_in(fold_in(fold_in(key, e),
   * 2), b)}: the shuffle of epoch {@code e} draws from {@code fold_in(key, e)} split into slots 0
   * and 1, so slot 2 is a stream of its own, and every batch's key is fixed by the run's key alone.
   * Only shuffled batches have a key, so only they can be augmented.
   */
  public Batches augment(Augmentation augmentation) {
    Objects.requireNonNull(augmentation, "augmentation");
    if (key == null) {
      throw new IllegalStateException("only shuffled batches can be augmented: their key drives the augmentation");
    }
    return new Batches(data, batchSize, key, dropLast, augmentation);
  }

  /** The examples per batch (the last batch of an epoch may hold fewer unless they are dropped). */
  public int batchSize() {
    return batchSize;
  }

  /** The number of batches per epoch. */
  public int count() {
    int n = data.size();
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /** The number of examples served per epoch. */
  public int examples() {
    return dropLast ? data.size() / batchSize * batchSize : data.size();
  }

  /** The example order of epoch {@code epoch} (0-based). */
  public int[] order(int epoch) {
    if (key == null) {
      int[] identity = new int[data.size()];
      for (int i = 0; i < identity.length; i++) {
        identity[i] = i;
      }
      return identity;
    }
    return JaxRandom.permutation(key.foldIn(epoch), data.size());
  }

  /** The batches of epoch {@code epoch} (0-based); each batch reuses this object's buffers. */
  public Iterator<Batch> epoch(int epoch) {
    return epoch(epoch, 0);
  }

  /**
   * The batches of epoch {@code epoch} (0-based) from batch {@code first} on: the rest of an epoch that
   * a resumed run takes up, each batch (and its augmentation) exactly as {@link #epoch(int)} serves it.
   */
  public Iterator<Batch> epoch(int epoch, int first) {
    if (first < 0 || first > count()) {
      throw new IllegalArgumentException("an epoch has batches 0.." + count() + ", found first batch " + first);
    }
    int[] order = order(epoch);
    int batches = count();
    PRNGKey augmentationKeys = augmentation == null ? null : key.foldIn(epoch).foldIn(AUGMENTATION_STREAM);
    return new Iterator<>() {
      private int next = first;

      @Override
      public boolean hasNext() {
        return next < batches;
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException("epoch " + epoch + " has " + batches + " batches");
        }
        int index = next++;
        int from = index * batchSize;
        int size = Math.min(batchSize, order.length - from);
        Buffers b = buffers(size);
        System.arraycopy(order, from, b.indexes, 0, size);
        Nd4j.pullRows(features2d, b.features2d, 1, b.indexes);
        Nd4j.pullRows(labels2d, b.labels2d, 1, b.indexes);
        if (augmentation != null) {
          augmentation.apply(b.batch.features(), augmentationKeys.foldIn(index));
        }
        return b.batch;
      }
    };
  }

  private Buffers buffers(int size) {
    if (size == batchSize) {
      if (full == null) {
        full = new Buffers(size);
      }
      return full;
    }
    if (partial == null) {
      partial = new Buffers(size);
    }
    return partial;
  }

  private static long rowLength(INDArray a) {
    return a.rank() == 1 ? 1 : a.length() / a.size(0);
  }

  /** One batch size's buffers: the batch as the consumer sees it and 2-d views for gathering rows. */
  private final class Buffers {
    final int[] indexes;
    final INDArray features2d;
    final INDArray labels2d;
    final Batch batch;

    Buffers(int size) {
      indexes = new int[size];
      INDArray features = Nd4j.create(data.features().dataType(), shapeWithRows(data.features(), size), 'c');
      INDArray labels = Nd4j.create(data.labels().dataType(), shapeWithRows(data.labels(), size), 'c');
      features2d = features.reshape(size, rowLength(features));
      labels2d = labels.reshape(size, rowLength(labels));
      batch = new Batch(features, labels);
    }
  }

  private static long[] shapeWithRows(INDArray a, int rows) {
    long[] shape = a.shape().clone();
    shape[0] = rows;
    return shape;
  }
}
