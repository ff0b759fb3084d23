package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.OptimizerState;
import dev.kiln.runtime.optim.Schedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Kiln's optimizer state against optax's, as Flax serialises a TrainState (fixtures: resources/interop). */
class FlaxTrainStateTest {
  private static final Map<String, Optimizer> OPTIMIZERS = Map.of(
      "adam", Optax.adam(1e-2),
      "adamw_schedule", Optax.adamw(Schedule.exponentialDecay(1e-2, 10, 0.5)),
      "sgd", Optax.sgd(0.1),
      "sgd_momentum", Optax.sgd(0.1, 0.9),
      "rmsprop", Optax.rmsprop(1e-2));

  /** The fixture's parameters, in Kiln's (model) order: kernel before bias. */
  private static LinkedHashMap<String, INDArray> params() {
    LinkedHashMap<String, INDArray> params = new LinkedHashMap<>();
    params.put("dense/kernel", Nd4j.arange(6).castTo(DataType.FLOAT).reshape(2, 3).divi(10).subi(0.2));
    params.put("dense/bias", Nd4j.createFromArray(0.1f, -0.2f, 0.3f));
    return params;
  }

  /** {@code n} steps with the gradient {@code p * 0.5 + 0.1}, as the fixtures were made. */
  private static void train(Optimizer optimizer, Map<String, INDArray> params, OptimizerState state, int n) {
    List<INDArray> leaves = List.copyOf(params.values());
    for (int i = 0; i < n; i++) {
      List<INDArray> grads = leaves.stream().map(p -> p.mul(0.5).addi(0.1)).toList();
      optimizer.update(leaves, grads, state);
    }
  }

  private static LinkedHashMap<String, Object> fixture(String name) throws Exception {
    return FlaxMsgpack.read(bytes(name));
  }

  private static byte[] bytes(String name) throws Exception {
    Path path = Path.of(FlaxTrainStateTest.class.getResource("/interop/train_state_" + name + ".msgpack").toURI());
    return Files.readAllBytes(path);
  }

  @Test
  void kilnStateHasOptaxLayoutAndValuesForEveryOptimizer() throws Exception {
    for (Map.Entry<String, Optimizer> e : OPTIMIZERS.entrySet()) {
      Optimizer optimizer = e.getValue();
      LinkedHashMap<String, INDArray> params = params();
      OptimizerState state = optimizer.init(List.copyOf(params.values()));
      train(optimizer, params, state, 3);
      assertSameTree(fixture(e.getKey()), FlaxTrainState.stateDict(params, optimizer, state), e.getKey());
    }
  }

  @Test
  void flaxBytesAreWrittenBackByteForByte() throws Exception {
    for (String name : OPTIMIZERS.keySet()) {
      assertArrayEquals(bytes(name), FlaxMsgpack.write(fixture(name)), name);
    }
  }

  /** Flax's state restored into Kiln continues as optax: two more steps equal Kiln's five. */
  @Test
  void restoresFlaxStateAndContinuesTraining() throws Exception {
    for (Map.Entry<String, Optimizer> e : OPTIMIZERS.entrySet()) {
      Optimizer optimizer = e.getValue();
      LinkedHashMap<String, INDArray> restored = params();
      restored.values().forEach(p -> p.assign(0));
      OptimizerState state = optimizer.init(List.copyOf(restored.values()));
      FlaxTrainState.restore(fixture(e.getKey()), "Dense", restored, optimizer, state);
      assertEquals(3, state.step(), e.getKey());
      train(optimizer, restored, state, 2);

      LinkedHashMap<String, INDArray> straight = params();
      OptimizerState straightState = optimizer.init(List.copyOf(straight.values()));
      train(optimizer, straight, straightState, 5);
      straight.forEach((path, expected) ->
          assertClose(expected, restored.get(path), e.getKey() + " " + path));
    }
  }

  /** Kiln to bytes to Kiln loses nothing: the next update is bit for bit the same. */
  @Test
  void roundTripIsExact() throws Exception {
    Optimizer adam = Optax.adam(1e-2);
    LinkedHashMap<String, INDArray> params = params();
    OptimizerState state = adam.init(List.copyOf(params.values()));
    train(adam, params, state, 4);
    byte[] bytes = FlaxMsgpack.write(FlaxTrainState.stateDict(params, adam, state));

    LinkedHashMap<String, INDArray> back = params();
    OptimizerState backState = adam.init(List.copyOf(back.values()));
    FlaxTrainState.restore(FlaxMsgpack.read(bytes), "Dense", back, adam, backState);
    train(adam, params, state, 1);
    train(adam, back, backState, 1);
    assertEquals(params, back);
    assertEquals(state.slots(), backState.slots());
    assertEquals(state.step(), backState.step());
  }

  @Test
  void refusesAStateOfAnotherOptimizerOrShape() throws Exception {
    LinkedHashMap<String, INDArray> params = params();
    Optimizer sgd = Optax.sgd(0.1, 0.9);
    OptimizerState sgdState = sgd.init(List.copyOf(params.values()));
    IOException e = assertThrows(IOException.class,
        () -> FlaxTrainState.restore(fixture("adam"), "Dense", params, sgd, sgdState));
    assertTrue(e.getMessage().contains("opt_state/0: expected the fields [trace], found [count, mu, nu]"),
        e.getMessage());

    Optimizer adamw = Optax.adamw(1e-2);
    OptimizerState adamwState = adamw.init(List.copyOf(params.values()));
    e = assertThrows(IOException.class, () -> FlaxTrainState.restore(fixture("adam"), "Dense", params, adamw, adamwState));
    assertTrue(e.getMessage().contains("expected optax's chain of 3 states [[count, mu, nu], [], []]"), e.getMessage());

    Optimizer adam = Optax.adam(1e-2);
    LinkedHashMap<String, INDArray> wide = new LinkedHashMap<>();
    wide.put("dense/kernel", Nd4j.zeros(DataType.FLOAT, 4, 3));
    wide.put("dense/bias", Nd4j.zeros(DataType.FLOAT, 3));
    OptimizerState wideState = adam.init(List.copyOf(wide.values()));
    ParameterMismatchException m = assertThrows(ParameterMismatchException.class,
        () -> FlaxTrainState.restore(fixture("adam"), "Dense", wide, adam, wideState));
    assertEquals(List.of("dense/kernel: expected [4, 3], found [2, 3]"), m.wrongShapes());
    assertEquals(0, wide.get("dense/kernel").sumNumber().doubleValue(), "nothing is changed on failure");

    LinkedHashMap<String, Object> skewed = fixture("adam");
    ((Map<String, Object>) ((Map<String, Object>) skewed.get("opt_state")).get("0")).put("count", 2L);
    OptimizerState adamState = adam.init(List.copyOf(params.values()));
    e = assertThrows(IOException.class, () -> FlaxTrainState.restore(skewed, "Dense", params, adam, adamState));
    assertTrue(e.getMessage().contains("opt_state/0/count is 2 but step is 3"), e.getMessage());
  }

  /** Same keys at every level (order aside: a jitted Flax step sorts them), same leaves. */
  private static void assertSameTree(Map<String, ?> expected, Map<String, ?> found, String where) {
    assertEquals(expected.keySet(), found.keySet(), where);
    expected.forEach((key, value) -> {
      Object other = found.get(key);
      String at = where + "/" + key;
      if (value instanceof Map<?, ?> map) {
        assertTrue(other instanceof Map<?, ?>, at + " should be a map");
        @SuppressWarnings("unchecked")
        Map<String, ?> a = (Map<String, ?>) map;
        @SuppressWarnings("unchecked")
        Map<String, ?> b = (Map<String, ?>) other;
        assertSameTree(a, b, at);
      } else {
        NpyArray flax = (NpyArray) value;
        NpyArray kiln = other instanceof INDArray a ? NpyArray.of(a) : (NpyArray) other;
        assertEquals(flax.dtype(), kiln.dtype(), at);
        assertArrayEquals(flax.shape(), kiln.shape(), at);
        assertClose(flax.toINDArray(), kiln.toINDArray(), at);
      }
    });
  }

  /** Equal to float32 rounding (ND4J's Adam folds the bias corrections differently from optax). */
  private static void assertClose(INDArray expected, INDArray found, String where) {
    double[] e = expected.castTo(DataType.DOUBLE).ravel().toDoubleVector();
    double[] f = found.castTo(DataType.DOUBLE).ravel().toDoubleVector();
    assertEquals(e.length, f.length, where);
    for (int i = 0; i < e.length; i++) {
      assertEquals(e[i], f[i], 2e-6 * Math.max(1, Math.abs(e[i])), where + "[" + i + "]");
    }
  }
}
