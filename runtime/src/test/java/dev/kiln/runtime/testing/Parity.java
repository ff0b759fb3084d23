package dev.kiln.runtime.testing;

import dev.kiln.runtime.io.NpyArray;
import dev.kiln.runtime.io.Npz;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Flax's reference numbers from {@code src/test/resources/parity} (copied from the shared parity
 * fixtures; see the README there for every case).
 */
public final class Parity {
  private static final Map<String, Map<String, NpyArray>> FILES = new ConcurrentHashMap<>();

  private final Map<String, NpyArray> arrays;

  private Parity(Map<String, NpyArray> arrays) {
    this.arrays = arrays;
  }

  public static Parity ops() {
    return file("flax_ops.npz");
  }

  public static Parity ops2() {
    return file("flax_ops2.npz");
  }

  public static Parity models() {
    return file("flax_models.npz");
  }

  public static Parity file(String name) {
    return new Parity(FILES.computeIfAbsent(name, Parity::load));
  }

  public NpyArray raw(String key) {
    NpyArray a = arrays.get(key);
    if (a == null) {
      throw new IllegalArgumentException("no array '" + key + "' in the parity fixtures");
    }
    return a;
  }

  public INDArray get(String key) {
    return raw(key).toINDArray();
  }

  public boolean has(String key) {
    return arrays.containsKey(key);
  }

  public Map<String, NpyArray> all() {
    return arrays;
  }

  private static Map<String, NpyArray> load(String name) {
    try (InputStream in = Parity.class.getResourceAsStream("/parity/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /parity/" + name);
      }
      return Npz.read(in, Npz.DEFAULT_MAX_BYTES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
