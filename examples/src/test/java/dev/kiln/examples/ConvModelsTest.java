package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.examples.models.ReluPoolCnn;
import dev.kiln.examples.models.ReluPoolCnnModel;
import dev.kiln.examples.models.TinyCnn;
import dev.kiln.examples.models.Upsample;
import dev.kiln.examples.models.UpsampleModel;
import dev.kiln.examples.models.TinyCnnModel;
import dev.kiln.runtime.loss.Losses;
import dev.kiln.runtime.nn.ConvOps;
import dev.kiln.runtime.nn.Padding;
import dev.kiln.runtime.nn.PoolOps;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.testing.GradientCheck;
import dev.kiln.runtime.testing.Parity;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Generated convolutional models: WORKLOADS.md W1 against Flax, and finite differences. */
class ConvModelsTest {
  private static final FashionCnnModel W1 = FashionCnnModel.INSTANCE;

  @Test
  void w1InitFromKey42IsFlaxsBitForBit() {
    Map<String, INDArray> params = W1.toFlax(W1.init(PRNGKey.of(42)));
    Parity rng = Parity.ops();
    for (Map.Entry<String, INDArray> e : params.entrySet()) {
      float[] expected = rng.raw("rng/cnn_init42/" + e.getKey()).toFloats();
      assertArrayEquals(expected, e.getValue().dup().data().asFloat(), e.getKey());
    }
  }

  @Test
  void w1LogitsLossAndEveryGradientMatchFlax() {
    Parity w1 = Parity.models();
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    for (String path : W1.parameterShapes().keySet()) {
      arrays.put(path, w1.get("W1/params/" + path));
    }
    FashionCnn params = W1.fromFlax(arrays);
    INDArray x = w1.get("W1/x");
    FashionCnnModel.Tape t = W1.tape(x);
    INDArray logits = W1.forward(params, x, t);
    assertClose(w1.get("W1/logits"), logits, 1e-5, "logits");
    double loss = Losses.softmaxCrossEntropy().valueAndGradient(logits, w1.get("W1/labels"), t.dDense);
    assertEquals(w1.get("W1/loss").getDouble(0), loss, 1e-5 * Math.abs(loss));
    FashionCnn grads = W1.zerosLike(params);
    W1.backward(params, t, t.dDense, grads, false);
    for (Map.Entry<String, INDArray> e : W1.toFlax(grads).entrySet()) {
      assertClose(w1.get("W1/grad/" + e.getKey()), e.getValue(), 1e-4, e.getKey());
    }
  }

  @Test
  void generatedTransposedConvolutionMatchesFlax() {
    UpsampleModel model = UpsampleModel.INSTANCE;
    Parity ops = Parity.ops();
    Upsample params = model.fromFlax(Map.of("up/kernel", ops.get("convT_same_s2/params/kernel"),
        "up/bias", ops.get("convT_same_s2/params/bias")));
    INDArray x = ops.get("convT_same_s2/x");
    UpsampleModel.Tape t = model.tape(x);
    assertClose(ops.get("convT_same_s2/y"), model.forward(params, x, t), 1e-5, "y");
    Upsample grads = model.zerosLike(params);
    INDArray dx = model.backward(params, t, ops.get("convT_same_s2/ct"), grads, true);
    assertClose(ops.get("convT_same_s2/grad_x"), dx, 1e-4, "grad_x");
    assertClose(ops.get("convT_same_s2/grad/kernel"), grads.up().kernel(), 1e-4, "grad/kernel");
    assertClose(ops.get("convT_same_s2/grad/bias"), grads.up().bias(), 1e-4, "grad/bias");
  }

  @Test
  void tinyCnnBackwardMatchesFiniteDifferencesInTraining() {
    TinyCnnModel model = TinyCnnModel.INSTANCE;
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    model.toFlax(model.init(PRNGKey.of(5))).forEach((k, v) -> inputs.put(k, v.castTo(DataType.DOUBLE)));
    inputs.put("input", GradientCheck.randn(6, 2, 7, 7, 2));
    GradientCheck.of(inputs).eps(1e-4).maxRelError(1e-5).check(
        in -> model.forward(params(model, in), in.get("input"), training(model, in.get("input"))).dup(),
        (in, ct) -> {
          TinyCnn p = params(model, in);
          TinyCnnModel.Tape t = training(model, in.get("input"));
          model.forward(p, in.get("input"), t);
          TinyCnn g = model.zerosLike(p);
          INDArray dx = model.backward(p, t, ct, g, true);
          Map<String, INDArray> grads = new LinkedHashMap<>(model.toFlax(g));
          grads.put("input", dx.dup());
          return grads;
        });
  }

  /** Pooling first gives what the declared order gives: the pool of the ReLU of the convolution. */
  @Test
  void reluBeforeMaxPoolForwardIsTheDeclaredOrder() {
    ReluPoolCnnModel model = ReluPoolCnnModel.INSTANCE;
    ReluPoolCnn p = model.init(PRNGKey.of(3));
    INDArray x = GradientCheck.randn(9, 4, 6, 6, 2).castTo(DataType.FLOAT);
    ReluPoolCnnModel.Tape t = model.tape(x);
    model.forward(p, x, t);
    INDArray conv = Nd4j.create(DataType.FLOAT, 4, 6, 6, 3);
    ConvOps.forward(x, p.conv().kernel(), p.conv().bias(), new int[] {1, 1}, Padding.SAME, new int[] {1, 1}, conv);
    INDArray declared = Nd4j.create(DataType.FLOAT, 4, 3, 3, 3);
    PoolOps.maxForward(Transforms.relu(conv, true), new int[] {2, 2}, new int[] {2, 2}, Padding.VALID, declared);
    assertEquals(declared, t.conv);
  }

  @Test
  void dropoutIsTheIdentityInEvaluation() {
    TinyCnnModel model = TinyCnnModel.INSTANCE;
    TinyCnn p = model.init(PRNGKey.of(5));
    INDArray x = GradientCheck.randn(1, 3, 7, 7, 2).castTo(DataType.FLOAT);
    TinyCnnModel.Tape t = model.tape(x);
    model.forward(p, x, t);
    assertEquals(t.pools, t.drop);
    t.training = true;
    t.dropoutKey = PRNGKey.of(1);
    model.forward(p, x, t);
    assertTrue(t.drop.eq(0).castTo(DataType.INT).sumNumber().intValue() > 0, "training drops something");
  }

  private static TinyCnn params(TinyCnnModel model, Map<String, INDArray> in) {
    Map<String, INDArray> params = new LinkedHashMap<>(in);
    params.remove("input");
    return model.fromFlax(params);
  }

  /** A training-mode tape with a fixed dropout key, so every evaluation draws the same mask. */
  private static TinyCnnModel.Tape training(TinyCnnModel model, INDArray x) {
    TinyCnnModel.Tape t = model.tape(x);
    t.training = true;
    t.dropoutKey = PRNGKey.of(9);
    return t;
  }

  private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what);
    double error = expected.sub(actual).amaxNumber().doubleValue() / expected.amaxNumber().doubleValue();
    assertTrue(error <= tolerance, what + ": relative error " + error);
  }
}
