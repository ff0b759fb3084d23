package dev.kiln.runtime.nn;

import static dev.kiln.runtime.nn.ParityAssertions.GRAD_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.OUTPUT_TOL;
import static dev.kiln.runtime.nn.ParityAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.runtime.testing.GradientCheck;
import dev.kiln.runtime.testing.Parity;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BatchNormOpsTest {
  private static final Parity P = Parity.ops2();

  @Test
  void trainingMatchesFlax() {
    INDArray x = P.get("batchnorm/x");
    assertEquals(DataType.FLOAT, x.dataType());
    BatchNormParams params = new BatchNormParams(P.get("batchnorm/params/scale"), P.get("batchnorm/params/bias"));
    BatchNormStats running = new BatchNormStats(
        P.get("batchnorm/batch_stats_before/mean").dup(), P.get("batchnorm/batch_stats_before/var").dup());
    INDArray mean = Nd4j.create(DataType.FLOAT, 2);
    INDArray invStd = Nd4j.create(DataType.FLOAT, 2);
    INDArray xhat = Nd4j.valueArrayOf(x.shape(), Double.NaN, DataType.FLOAT);
    INDArray y = Nd4j.valueArrayOf(x.shape(), Double.NaN, DataType.FLOAT);
    BatchNormOps.trainForward(x, params, running, BatchNormOps.DEFAULT_MOMENTUM, BatchNormOps.DEFAULT_EPSILON,
        mean, invStd, xhat, y);
    assertClose("y", P.get("batchnorm/y"), y, OUTPUT_TOL);
    assertClose("batch_stats_after/mean", P.get("batchnorm/batch_stats_after/mean"), running.mean(), OUTPUT_TOL);
    assertClose("batch_stats_after/var", P.get("batchnorm/batch_stats_after/var"), running.var(), OUTPUT_TOL);

    INDArray dx = Nd4j.valueArrayOf(x.shape(), Double.NaN, DataType.FLOAT);
    BatchNormParams grads = new BatchNormParams(Nd4j.create(DataType.FLOAT, 2), Nd4j.create(DataType.FLOAT, 2));
    BatchNormOps.backward(P.get("batchnorm/ct"), params, invStd, xhat, dx, grads);
    assertClose("grad/scale", P.get("batchnorm/grad/scale"), grads.scale(), GRAD_TOL);
    assertClose("grad/bias", P.get("batchnorm/grad/bias"), grads.bias(), GRAD_TOL);
    assertClose("grad_x", P.get("batchnorm/grad_x"), dx, GRAD_TOL);
  }

  @Test
  void evalMatchesFlax() {
    INDArray x = P.get("batchnorm/x");
    BatchNormParams params = new BatchNormParams(P.get("batchnorm/params/scale"), P.get("batchnorm/params/bias"));
    BatchNormStats stats = new BatchNormStats(P.get("batchnorm/eval_mean"), P.get("batchnorm/eval_var"));
    INDArray y = Nd4j.valueArrayOf(x.shape(), Double.NaN, DataType.FLOAT);
    BatchNormOps.evalForward(x, params, stats, BatchNormOps.DEFAULT_EPSILON, Nd4j.create(DataType.FLOAT, 2), y);
    assertClose("eval_y", P.get("batchnorm/eval_y"), y, OUTPUT_TOL);
  }

  @Test
  void trainingGradientsMatchFiniteDifferences() {
    long[] xShape = {3, 2, 2, 3};
    Map<String, INDArray> inputs = new LinkedHashMap<>();
    inputs.put("x", GradientCheck.randn(71, xShape).muli(2).addi(0.5));
    inputs.put("scale", GradientCheck.randn(72, 3));
    inputs.put("bias", GradientCheck.randn(73, 3));
    INDArray mean = Nd4j.create(DataType.DOUBLE, 3);
    INDArray invStd = Nd4j.create(DataType.DOUBLE, 3);
    INDArray xhat = Nd4j.create(DataType.DOUBLE, xShape);
    GradientCheck.of(inputs)
        .check(
            p -> {
              INDArray y = Nd4j.create(DataType.DOUBLE, xShape);
              BatchNormOps.trainForward(p.get("x"), new BatchNormParams(p.get("scale"), p.get("bias")),
                  freshStats(), 0.9, 1e-5, mean, invStd, xhat, y);
              return y;
            },
            (p, ct) -> {
              BatchNormParams params = new BatchNormParams(p.get("scale"), p.get("bias"));
              BatchNormOps.trainForward(p.get("x"), params, freshStats(), 0.9, 1e-5, mean, invStd, xhat,
                  Nd4j.create(DataType.DOUBLE, xShape));
              INDArray dx = Nd4j.valueArrayOf(xShape, 7.0, DataType.DOUBLE);
              BatchNormParams g = new BatchNormParams(
                  Nd4j.valueArrayOf(new long[] {3}, 7.0, DataType.DOUBLE), Nd4j.valueArrayOf(new long[] {3}, 7.0, DataType.DOUBLE));
              BatchNormOps.backward(ct, params, invStd, xhat, dx, g);
              return Map.of("x", dx, "scale", g.scale(), "bias", g.bias());
            });
  }

  @Test
  void runningStatisticsUseTheBiasedBatchVariance() {
    INDArray x = Nd4j.create(new double[] {1, 10, 3, 20, 5, 60}, new long[] {3, 2}, DataType.DOUBLE);
    BatchNormStats running = new BatchNormStats(
        Nd4j.create(new double[] {1, 2}, new long[] {2}, DataType.DOUBLE), Nd4j.create(new double[] {3, 4}, new long[] {2}, DataType.DOUBLE));
    BatchNormParams params = new BatchNormParams(Nd4j.ones(DataType.DOUBLE, 2), Nd4j.zeros(DataType.DOUBLE, 2));
    INDArray mean = Nd4j.create(DataType.DOUBLE, 2);
    INDArray invStd = Nd4j.create(DataType.DOUBLE, 2);
    BatchNormOps.trainForward(x, params, running, 0.75, 0.0, mean, invStd,
        Nd4j.create(DataType.DOUBLE, 3, 2), Nd4j.create(DataType.DOUBLE, 3, 2));
    // feature 0: mu 3, var 8/3; feature 1: mu 30, var (400 + 100 + 900) / 3
    assertClose("mean", Nd4j.create(new double[] {3, 30}, new long[] {2}, DataType.DOUBLE), mean, 1e-15);
    assertClose("invStd", Nd4j.create(new double[] {1 / Math.sqrt(8.0 / 3), 1 / Math.sqrt(1400.0 / 3)},
        new long[] {2}, DataType.DOUBLE), invStd, 1e-15);
    assertClose("ra_mean", Nd4j.create(new double[] {0.75 + 0.75, 1.5 + 7.5}, new long[] {2}, DataType.DOUBLE),
        running.mean(), 1e-15);
    assertClose("ra_var", Nd4j.create(new double[] {2.25 + 2.0 / 3, 3 + 1400.0 / 12}, new long[] {2}, DataType.DOUBLE),
        running.var(), 1e-14);
  }

  private static BatchNormStats freshStats() {
    return new BatchNormStats(Nd4j.zeros(DataType.DOUBLE, 3), Nd4j.ones(DataType.DOUBLE, 3));
  }
}
