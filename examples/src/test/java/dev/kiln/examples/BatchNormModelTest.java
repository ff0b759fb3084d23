package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.examples.models.Normed;
import dev.kiln.examples.models.NormedMlp;
import dev.kiln.examples.models.NormedMlpModel;
import dev.kiln.examples.models.NormedModel;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.testing.GradientCheck;
import dev.kiln.runtime.testing.Parity;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A generated {@code @BatchNorm}: Flax's numbers in both modes, its state, and finite differences. */
class BatchNormModelTest {
  private static final Parity BN = Parity.ops2();
  private static final NormedModel MODEL = NormedModel.INSTANCE;

  @Test
  void trainingStepMatchesFlaxAndUpdatesTheRunningStatistics() {
    Normed p = MODEL.fromFlax(variables("batch_stats_before"));
    INDArray x = BN.get("batchnorm/x");
    NormedModel.Tape t = MODEL.tape(x);
    t.training = true;
    INDArray y = MODEL.forward(p, x, t);
    assertClose(BN.get("batchnorm/y"), y, 1e-5, "y");
    Normed g = MODEL.zerosLike(p);
    INDArray dx = MODEL.backward(p, t, BN.get("batchnorm/ct"), g, true);
    assertClose(BN.get("batchnorm/grad_x"), dx, 1e-4, "grad_x");
    assertClose(BN.get("batchnorm/grad/scale"), g.norm().scale(), 1e-4, "grad/scale");
    assertClose(BN.get("batchnorm/grad/bias"), g.norm().bias(), 1e-4, "grad/bias");
    assertClose(BN.get("batchnorm/batch_stats_after/mean"), p.norm().mean(), 1e-5, "mean");
    assertClose(BN.get("batchnorm/batch_stats_after/var"), p.norm().var(), 1e-5, "var");
  }

  @Test
  void evaluationUsesTheRunningStatistics() {
    Map<String, INDArray> vars = variables(null);
    vars.put("batch_stats/norm/mean", BN.get("batchnorm/eval_mean"));
    vars.put("batch_stats/norm/var", BN.get("batchnorm/eval_var"));
    Normed p = MODEL.fromFlax(vars);
    assertClose(BN.get("batchnorm/eval_y"), MODEL.apply(p, BN.get("batchnorm/x")), 1e-5, "eval_y");
  }

  @Test
  void stateTravelsWithTheParametersAndStartsAfreshWithoutThem() {
    Normed p = MODEL.init(PRNGKey.of(0));
    assertEquals(java.util.List.of("norm/scale", "norm/bias"), java.util.List.copyOf(MODEL.toFlax(p).keySet()));
    assertEquals(java.util.List.of("norm/scale", "norm/bias", "batch_stats/norm/mean", "batch_stats/norm/var"),
        java.util.List.copyOf(MODEL.variables(p).keySet()));
    Normed fresh = MODEL.fromFlax(MODEL.toFlax(p));
    assertEquals(0.0, fresh.norm().mean().sumNumber().doubleValue());
    assertEquals(2.0, fresh.norm().var().sumNumber().doubleValue());
  }

  @Test
  void backwardMatchesFiniteDifferencesInTraining() {
    NormedMlpModel model = NormedMlpModel.INSTANCE;
    NormedMlp init = model.init(PRNGKey.of(4));
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    model.toFlax(init).forEach((k, v) -> inputs.put(k, v.castTo(DataType.DOUBLE)));
    inputs.put("input", GradientCheck.randn(8, 6, 5));
    GradientCheck.of(inputs).eps(1e-4).maxRelError(1e-5).check(
        in -> model.forward(params(model, in), in.get("input"), training(model, in.get("input"))).dup(),
        (in, ct) -> {
          NormedMlp p = params(model, in);
          NormedMlpModel.Tape t = training(model, in.get("input"));
          model.forward(p, in.get("input"), t);
          NormedMlp g = model.zerosLike(p);
          INDArray dx = model.backward(p, t, ct, g, true);
          Map<String, INDArray> grads = new LinkedHashMap<>(model.toFlax(g));
          grads.put("input", dx.dup());
          return grads;
        });
  }

  private static NormedMlp params(NormedMlpModel model, Map<String, INDArray> in) {
    Map<String, INDArray> params = new LinkedHashMap<>(in);
    params.remove("input");
    params.put("batch_stats/norm/mean", org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, 4));
    params.put("batch_stats/norm/var", org.nd4j.linalg.factory.Nd4j.ones(DataType.DOUBLE, 4));
    return model.fromFlax(params);
  }

  private static NormedMlpModel.Tape training(NormedMlpModel model, INDArray x) {
    NormedMlpModel.Tape t = model.tape(x);
    t.training = true;
    return t;
  }

  /** The fixture's parameters, with its running statistics {@code before} (or none). */
  private static Map<String, INDArray> variables(String stats) {
    Map<String, INDArray> vars = new LinkedHashMap<>();
    vars.put("norm/scale", BN.get("batchnorm/params/scale"));
    vars.put("norm/bias", BN.get("batchnorm/params/bias"));
    if (stats != null) {
      vars.put("batch_stats/norm/mean", BN.get("batchnorm/" + stats + "/mean"));
      vars.put("batch_stats/norm/var", BN.get("batchnorm/" + stats + "/var"));
    }
    return vars;
  }

  private static void assertClose(INDArray expected, INDArray actual, double tolerance, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what);
    double error = expected.sub(actual).amaxNumber().doubleValue() / expected.amaxNumber().doubleValue();
    assertTrue(error <= tolerance, what + ": relative error " + error);
  }
}
