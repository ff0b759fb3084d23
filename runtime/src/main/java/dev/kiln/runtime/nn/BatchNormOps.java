package dev.kiln.runtime.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Flax's {@code nn.BatchNorm} normalising over every axis but the last ({@code C} features), e.g.
 * over {@code N, H, W} of an NHWC input. With the leading axes flattened into {@code M} rows:
 *
 * <pre>
 *   training:  mu = (1/M) sum_m x[m,:]            var = (1/M) sum_m (x[m,:] - mu)^2   (biased)
 *              s = 1 / sqrt(var + eps)             xhat = (x - mu) s
 *              y = xhat * scale + bias
 *              running: ra_mean = momentum ra_mean + (1 - momentum) mu
 *                       ra_var  = momentum ra_var  + (1 - momentum) var   (the biased var, as Flax)
 *   eval:      y = (x - ra_mean) / sqrt(ra_var + eps) * scale + bias
 *   backward (training, the gradient flows through mu and var), given G = dL/dy:
 *              dL/dbias  = sum_m G[m,:]
 *              dL/dscale = sum_m G[m,:] xhat[m,:]
 *              dL/dx     = scale s (G - (dL/dbias + xhat dL/dscale) / M)
 * </pre>
 *
 * <p>Flax's defaults are {@link #DEFAULT_MOMENTUM} and {@link #DEFAULT_EPSILON}. The caller gives
 * every result and the scratch the backward pass needs from the forward one: the batch mean and
 * {@code s} ({@code [C]}) and {@code xhat} (shaped like {@code x}); inputs of rank above 2 must be
 * C-ordered contiguous (see {@link Reshapes#asMatrix}). float32 and float64 both work (all arrays of
 * one type).
 */
public final class BatchNormOps {
  /** Flax's default {@code momentum}. */
  public static final double DEFAULT_MOMENTUM = 0.99;

  /** Flax's default {@code epsilon}. */
  public static final double DEFAULT_EPSILON = 1e-5;

  private BatchNormOps() {}

  /**
   * Training-mode forward ({@code use_running_average=False}): normalises with the batch statistics
   * and updates {@code running} in place.
   *
   * @param x {@code (..., C)}
   * @param running the running statistics; updated
   * @param mean receives the batch mean {@code mu}, {@code [C]}
   * @param invStd receives {@code s = 1 / sqrt(var + eps)}, {@code [C]}; keep for {@link #backward}
   * @param xhat receives the normalised input, shaped like {@code x}; keep for {@link #backward}
   * @param out receives {@code y}, shaped like {@code x}
   */
  public static void trainForward(
      INDArray x, BatchNormParams params, BatchNormStats running, double momentum, double epsilon,
      INDArray mean, INDArray invStd, INDArray xhat, INDArray out) {
    long c = params.scale().length();
    INDArray x2 = Reshapes.asMatrix(x, c, "BatchNorm input");
    INDArray xhat2 = Reshapes.asMatrix(xhat, c, "BatchNorm xhat");
    INDArray out2 = Reshapes.asMatrix(out, c, "BatchNorm output");
    x2.mean(mean, 0);
    xhat2.assign(x2).subiRowVector(mean); // x - mu
    xhat2.mul(xhat2, out2).mean(invStd, 0); // invStd holds var for now
    updateRunning(running.mean(), mean, momentum);
    updateRunning(running.var(), invStd, momentum);
    toInvStd(invStd, epsilon);
    xhat2.muliRowVector(invStd);
    affine(out2.assign(xhat2), params);
  }

  /** {@link #trainForward} in training, {@link #evalForward} otherwise: what a generated forward calls. */
  public static void forward(
      boolean training, INDArray x, BatchNormVars vars, double momentum, double epsilon,
      INDArray mean, INDArray invStd, INDArray xhat, INDArray out) {
    if (training) {
      trainForward(x, vars.params(), vars.stats(), momentum, epsilon, mean, invStd, xhat, out);
    } else {
      evalForward(x, vars.params(), vars.stats(), epsilon, invStd, out);
    }
  }

  /**
   * Evaluation-mode forward ({@code use_running_average=True}) with the running statistics.
   *
   * @param invStd scratch {@code [C]}; receives {@code 1 / sqrt(stats.var + eps)}
   * @param out receives {@code y}, shaped like {@code x}
   */
  public static void evalForward(
      INDArray x, BatchNormParams params, BatchNormStats stats, double epsilon, INDArray invStd, INDArray out) {
    long c = params.scale().length();
    INDArray x2 = Reshapes.asMatrix(x, c, "BatchNorm input");
    INDArray out2 = Reshapes.asMatrix(out, c, "BatchNorm output");
    toInvStd(invStd.assign(stats.var()), epsilon);
    out2.assign(x2).subiRowVector(stats.mean()).muliRowVector(invStd);
    affine(out2, params);
  }

  /**
   * The training-mode gradients given {@code dOut = dL/dy}; each is overwritten.
   *
   * @param invStd and {@code xhat}: as {@link #trainForward} left them
   * @param dx receives {@code dL/dx}, shaped like {@code dOut}; required (it is also the scratch for
   *     {@code G xhat})
   * @param grads receives {@code dL/dscale} and {@code dL/dbias}
   */
  public static void backward(
      INDArray dOut, BatchNormParams params, INDArray invStd, INDArray xhat, INDArray dx, BatchNormParams grads) {
    long c = params.scale().length();
    INDArray g2 = Reshapes.asMatrix(dOut, c, "BatchNorm output gradient");
    INDArray xhat2 = Reshapes.asMatrix(xhat, c, "BatchNorm xhat");
    INDArray dx2 = Reshapes.asMatrix(dx, c, "BatchNorm input gradient");
    INDArray dScale = grads.scale();
    INDArray dBias = grads.bias();
    g2.sum(dBias, 0);
    g2.mul(xhat2, dx2).sum(dScale, 0);
    // dx = scale s (G - (dBias + xhat dScale) / M)
    dx2.assign(xhat2).muliRowVector(dScale).addiRowVector(dBias).muli(-1.0 / g2.size(0)).addi(g2);
    dx2.muliRowVector(params.scale()).muliRowVector(invStd);
  }

  /** {@code ra = momentum ra + (1 - momentum) batch}, in place. */
  private static void updateRunning(INDArray ra, INDArray batch, double momentum) {
    ra.muli(momentum);
    Nd4j.getBlasWrapper().axpy(1.0 - momentum, batch, ra);
  }

  /** {@code v = 1 / sqrt(v + eps)}, in place. */
  private static void toInvStd(INDArray v, double epsilon) {
    Transforms.sqrt(v.addi(epsilon), false).rdivi(1.0);
  }

  /** {@code y = y * scale + bias} per feature, in place. */
  private static void affine(INDArray y2, BatchNormParams params) {
    y2.muliRowVector(params.scale()).addiRowVector(params.bias());
  }
}
