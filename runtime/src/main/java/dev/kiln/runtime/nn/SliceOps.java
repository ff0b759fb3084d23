package dev.kiln.runtime.nn;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A run of features on the last axis of a {@code [B, F]} array, copied out: {@code out = x[:, from :
 * from + size]}; its cotangent is {@code dOut} in those columns and zero elsewhere.
 */
public final class SliceOps {
  private SliceOps() {}

  /** {@code out = x[:, from : from + out.size(1)]}, overwritten. */
  public static void forward(INDArray x, long from, INDArray out) {
    out.assign(x.get(all(), interval(from, from + out.size(1))));
  }

  /** {@code dx} zero but for {@code dx[:, from : from + dOut.size(1)] = dOut}; overwritten. */
  public static void backward(INDArray dOut, long from, INDArray dx) {
    dx.assign(0);
    dx.get(all(), interval(from, from + dOut.size(1))).assign(dOut);
  }
}
