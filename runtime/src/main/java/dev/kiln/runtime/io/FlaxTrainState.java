package dev.kiln.runtime.io;

import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.OptimizerState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A whole training state as Flax's {@code flax.training.train_state.TrainState} serialises it: the state
 * dict {@code {step, params, opt_state}} (plus {@code batch_stats} for a model with running statistics,
 * as a TrainState subclass carrying them adds), where {@code opt_state} is optax's state of the same
 * optimizer laid out by {@link Optimizer#optaxLayout}: optax's chain is a tuple, so a map keyed
 * {@code "0"}, {@code "1"}, ...; each state a map of its fields ({@code count}, {@code mu}, {@code nu},
 * ...), moments as trees shaped like the parameters; {@code EmptyState} an empty map. Counts and the
 * step are int32 scalars, as a jitted Flax training step leaves them.
 *
 * <p>With {@link FlaxMsgpack#write} this gives the bytes of {@code flax.serialization.to_bytes(state)}
 * for {@code state = TrainState.create(apply_fn, params, optax.adam(lr))} after as many steps, and
 * {@link #restore} reads such bytes back into a model's arrays and optimizer state.
 */
public final class FlaxTrainState {
  public static final String STEP = "step";
  public static final String PARAMS = "params";
  public static final String OPT_STATE = "opt_state";
  /** Flax's collection of running statistics, and the prefix of their paths in a model's variables. */
  public static final String BATCH_STATS = "batch_stats";

  private FlaxTrainState() {}

  /**
   * The state dict of a training state.
   *
   * @param variables the model's variables by Flax path ({@code ModelDefinition.variables}): parameters,
   *     then state under {@code batch_stats/}; the parameters are the optimizer's leaves, in order
   * @param optimizer the optimizer that owns {@code state}, for its optax layout
   */
  public static LinkedHashMap<String, Object> stateDict(Map<String, INDArray> variables, Optimizer optimizer,
      OptimizerState state) {
    LinkedHashMap<String, INDArray> params = new LinkedHashMap<>();
    LinkedHashMap<String, INDArray> stats = new LinkedHashMap<>();
    variables.forEach((path, array) -> {
      if (path.startsWith(BATCH_STATS + "/")) {
        stats.put(path.substring(BATCH_STATS.length() + 1), array);
      } else {
        params.put(path, array);
      }
    });
    List<String> paths = List.copyOf(params.keySet());
    LinkedHashMap<String, Object> optState = new LinkedHashMap<>();
    List<List<String>> layout = optimizer.optaxLayout(state);
    for (int i = 0; i < layout.size(); i++) {
      LinkedHashMap<String, Object> fields = new LinkedHashMap<>();
      for (String field : layout.get(i)) {
        if (field.equals(OptimizerState.COUNT)) {
          fields.put(field, int32Scalar(state.step()));
        } else {
          List<INDArray> slot = state.slot(field);
          if (slot.size() != paths.size()) {
            throw new IllegalArgumentException("optimizer slot '" + field + "' holds " + slot.size()
                + " arrays for " + paths.size() + " parameters");
          }
          LinkedHashMap<String, INDArray> byPath = new LinkedHashMap<>();
          for (int j = 0; j < paths.size(); j++) {
            byPath.put(paths.get(j), slot.get(j));
          }
          fields.put(field, FlaxMsgpack.nest(byPath));
        }
      }
      optState.put(Integer.toString(i), fields);
    }
    LinkedHashMap<String, Object> dict = new LinkedHashMap<>();
    dict.put(STEP, int32Scalar(state.step()));
    dict.put(PARAMS, FlaxMsgpack.nest(params));
    dict.put(OPT_STATE, optState);
    if (!stats.isEmpty()) {
      dict.put(BATCH_STATS, FlaxMsgpack.nest(stats));
    }
    return dict;
  }

  /**
   * Writes a state dict read from Flax (or from {@link #stateDict}) into a model's variables, in place,
   * and into the optimizer's state. Everything is checked before anything is changed: the fields, every
   * path and shape of the parameters, of the statistics and of each moment tree, the optax layout and
   * the counts, which must all equal {@code step} (Kiln keeps one step count).
   *
   * @param model the model's name, for messages
   * @param variables the arrays to overwrite, as {@link #stateDict} takes them
   * @throws IOException naming what was expected and found where the state does not fit
   * @throws ParameterMismatchException listing every missing, unexpected or mis-shaped array
   */
  public static void restore(Map<String, ?> stateDict, String model, Map<String, INDArray> variables,
      Optimizer optimizer, OptimizerState state) throws IOException {
    Set<String> fields = stateDict.keySet();
    if (!fields.containsAll(List.of(STEP, PARAMS, OPT_STATE))
        || !Set.of(STEP, PARAMS, OPT_STATE, BATCH_STATS).containsAll(fields)) {
      throw new IOException("a train state has the fields step, params, opt_state and optionally batch_stats,"
          + " found " + fields);
    }
    long step = integer(stateDict.get(STEP), STEP);
    LinkedHashMap<String, INDArray> expected = new LinkedHashMap<>(variables);
    LinkedHashMap<String, INDArray> found = arrays(stateDict.get(PARAMS), PARAMS);
    List<String> paths = variables.keySet().stream().filter(path -> !path.startsWith(BATCH_STATS + "/")).toList();
    if (stateDict.containsKey(BATCH_STATS)) {
      arrays(stateDict.get(BATCH_STATS), BATCH_STATS).forEach((path, a) -> found.put(BATCH_STATS + "/" + path, a));
    }
    ParameterMismatchException.check(shapes(expected), found, model);

    Map<String, List<INDArray>> slots = new LinkedHashMap<>();
    Map<String, ?> optState = map(stateDict.get(OPT_STATE), OPT_STATE);
    List<List<String>> layout = optimizer.optaxLayout(state);
    List<String> positions = new ArrayList<>();
    for (int i = 0; i < layout.size(); i++) {
      positions.add(Integer.toString(i));
    }
    if (!List.copyOf(optState.keySet()).equals(positions)) {
      throw new IOException("opt_state: expected optax's chain of " + layout.size() + " states " + layout
          + " (keys " + positions + "), found keys " + optState.keySet() + ": a state of another optimizer?");
    }
    for (int i = 0; i < layout.size(); i++) {
      String where = OPT_STATE + "/" + i;
      Map<String, ?> element = map(optState.get(positions.get(i)), where);
      if (!Set.copyOf(layout.get(i)).equals(element.keySet())) {
        throw new IOException(where + ": expected the fields " + layout.get(i)
            + (layout.get(i).isEmpty() ? " (optax's EmptyState)" : "") + ", found " + element.keySet()
            + ": a state of another optimizer or learning-rate schedule?");
      }
      for (String field : layout.get(i)) {
        if (field.equals(OptimizerState.COUNT)) {
          long count = integer(element.get(field), where + "/" + field);
          if (count != step) {
            throw new IOException(where + "/count is " + count + " but step is " + step
                + ": Kiln keeps one step count for both");
          }
        } else {
          LinkedHashMap<String, INDArray> moments = arrays(element.get(field), where + "/" + field);
          ParameterMismatchException.check(shapes(subset(expected, paths)), moments, model + " (" + where + "/" + field + ")");
          List<INDArray> ordered = new ArrayList<>();
          paths.forEach(path -> ordered.add(moments.get(path)));
          slots.put(field, ordered);
        }
      }
    }
    for (String slot : slots.keySet()) {
      List<INDArray> target = state.slot(slot);
      if (target.size() != paths.size()) {
        throw new IllegalArgumentException("optimizer slot '" + slot + "' holds " + target.size()
            + " arrays for " + paths.size() + " parameters");
      }
    }

    found.forEach((path, array) -> variables.get(path).assign(array));
    slots.forEach((slot, arrays) -> {
      List<INDArray> target = state.slot(slot);
      for (int j = 0; j < arrays.size(); j++) {
        target.get(j).assign(arrays.get(j));
      }
    });
    state.setStep(step);
  }

  private static NpyArray int32Scalar(long value) {
    ByteBuffer data = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(Math.toIntExact(value)).flip();
    return new NpyArray(NpyDtype.INT32, new long[0], data);
  }

  /** A step or count: an integer, or an integer array of shape () as JAX leaves it. */
  private static long integer(Object value, String where) throws IOException {
    if (value instanceof Long n) {
      return n;
    }
    if (value instanceof NpyArray a && a.shape().length == 0
        && (a.dtype() == NpyDtype.INT32 || a.dtype() == NpyDtype.INT64 || a.dtype() == NpyDtype.UINT32)) {
      return a.toINDArray().getLong(0);
    }
    throw new IOException(where + ": expected an integer or an integer array of shape (), found "
        + (value instanceof NpyArray a ? a.dtype().code() + " array of shape " + Arrays.toString(a.shape()) : value));
  }

  private static Map<String, ?> map(Object value, String where) throws IOException {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IOException(where + ": expected a map, found " + value);
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> typed = (Map<String, ?>) map;
    return typed;
  }

  private static LinkedHashMap<String, INDArray> arrays(Object tree, String where) throws IOException {
    try {
      return FlaxMsgpack.arrays(map(tree, where));
    } catch (IOException e) {
      throw new IOException(where + "/" + e.getMessage(), e);
    }
  }

  private static LinkedHashMap<String, long[]> shapes(Map<String, INDArray> arrays) {
    LinkedHashMap<String, long[]> out = new LinkedHashMap<>();
    arrays.forEach((path, array) -> out.put(path, array.shape()));
    return out;
  }

  private static LinkedHashMap<String, INDArray> subset(Map<String, INDArray> arrays, List<String> paths) {
    LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
    paths.forEach(path -> out.put(path, arrays.get(path)));
    return out;
  }
}
