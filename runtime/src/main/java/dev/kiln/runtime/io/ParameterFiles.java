package dev.kiln.runtime.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's parameters on disk, keyed by Flax path ({@code conv1/kernel}): {@code .npz} (what
 * {@code np.savez(**flat_params)} writes), {@code .safetensors} (what
 * {@code safetensors.flax.save_file} writes) or {@code .msgpack} (what
 * {@code flax.serialization.to_bytes(params)} writes, see {@link FlaxMsgpack}), chosen by the file's
 * extension. Saving is atomic ({@link AtomicFiles}): a crash leaves either the old file or the new
 * one, never a torn one.
 */
public final class ParameterFiles {
  /** Written to a safetensors header, as Flax's safetensors files carry it. */
  private static final Map<String, String> SAFETENSORS_METADATA = Map.of("format", "flax");
  private static final String BATCH_STATS_PREFIX = FlaxTrainState.BATCH_STATS + "/";

  private ParameterFiles() {}

  private enum Format {
    NPZ,
    SAFETENSORS,
    MSGPACK;

    static Format of(Path path) {
      String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".npz")) {
        return NPZ;
      } else if (name.endsWith(".safetensors")) {
        return SAFETENSORS;
      } else if (name.endsWith(".msgpack")) {
        return MSGPACK;
      }
      throw new IllegalArgumentException("cannot tell the format of " + path
          + ": expected a name ending in .npz, .safetensors or .msgpack");
    }
  }

  /** Writes the parameters, in the map's order, atomically replacing any existing file. */
  public static void save(Path path, Map<String, INDArray> byFlaxPath) throws IOException {
    Format format = Format.of(path);
    AtomicFiles.write(path, out -> {
      switch (format) {
        case NPZ -> Npz.write(out, npy(byFlaxPath));
        case SAFETENSORS -> SafeTensors.write(out, npy(byFlaxPath), SAFETENSORS_METADATA);
        case MSGPACK -> out.write(FlaxMsgpack.write(flaxTree(byFlaxPath)));
      }
    });
  }

  private static Map<String, NpyArray> npy(Map<String, INDArray> byFlaxPath) {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    byFlaxPath.forEach((name, array) -> arrays.put(name, NpyArray.of(array)));
    return arrays;
  }

  /** Reads every parameter, in file order, as ND4J arrays of the stored data type. */
  public static LinkedHashMap<String, INDArray> load(Path path) throws IOException {
    Map<String, NpyArray> arrays = switch (Format.of(path)) {
      case NPZ -> Npz.read(path);
      case SAFETENSORS -> SafeTensors.read(path).tensors();
      case MSGPACK -> {
        try {
          yield fromFlaxTree(FlaxMsgpack.read(Files.readAllBytes(path)));
        } catch (IOException e) {
          throw new IOException(path + ": " + e.getMessage(), e);
        }
      }
    };
    LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
    arrays.forEach((name, array) -> out.put(name, array.toINDArray()));
    return out;
  }

  /**
   * The tree {@code flax.serialization.to_bytes} writes for these arrays: the parameters alone, as for
   * {@code to_bytes(params)}, or Flax's variables {@code {params, batch_stats}} when there are running
   * statistics (paths under {@code batch_stats/}).
   */
  private static Map<String, Object> flaxTree(Map<String, INDArray> byFlaxPath) {
    Map<String, INDArray> params = new LinkedHashMap<>();
    Map<String, INDArray> stats = new LinkedHashMap<>();
    byFlaxPath.forEach((path, array) -> {
      if (path.startsWith(BATCH_STATS_PREFIX)) {
        stats.put(path.substring(BATCH_STATS_PREFIX.length()), array);
      } else {
        params.put(path, array);
      }
    });
    if (stats.isEmpty()) {
      return FlaxMsgpack.nest(params);
    }
    Map<String, Object> variables = new LinkedHashMap<>();
    variables.put(FlaxTrainState.PARAMS, FlaxMsgpack.nest(params));
    variables.put(FlaxTrainState.BATCH_STATS, FlaxMsgpack.nest(stats));
    return variables;
  }

  /** The arrays of {@link #flaxTree}'s two forms, by path. */
  private static Map<String, NpyArray> fromFlaxTree(Map<String, Object> tree) throws IOException {
    boolean variables = tree.containsKey(FlaxTrainState.PARAMS)
        && Set.of(FlaxTrainState.PARAMS, FlaxTrainState.BATCH_STATS).containsAll(tree.keySet());
    Map<String, Object> leaves = new LinkedHashMap<>();
    if (variables) {
      FlaxMsgpack.flatten(asTree(tree.get(FlaxTrainState.PARAMS))).forEach(leaves::put);
      if (tree.containsKey(FlaxTrainState.BATCH_STATS)) {
        FlaxMsgpack.flatten(asTree(tree.get(FlaxTrainState.BATCH_STATS)))
            .forEach((path, leaf) -> leaves.put(BATCH_STATS_PREFIX + path, leaf));
      }
    } else {
      leaves.putAll(FlaxMsgpack.flatten(tree));
    }
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : leaves.entrySet()) {
      if (!(e.getValue() instanceof NpyArray array)) {
        throw new IOException("'" + e.getKey() + "': expected an array, found " + e.getValue());
      }
      arrays.put(e.getKey(), array);
    }
    return arrays;
  }

  private static Map<String, Object> asTree(Object value) throws IOException {
    if (!(value instanceof Map<?, ?>)) {
      throw new IOException("expected a tree of arrays under params and batch_stats, found " + value);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> tree = (Map<String, Object>) value;
    return tree;
  }
}
