package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.loss.VaeLoss;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.testing.Parity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Generated models against Flax's own numbers for WORKLOADS.md W3 (flax_models.npz). */
class FlaxParityTest {
  private static final Parity W3 = Parity.models();

  @Test
  void generatedInitIsFlaxsInitBitForBit() {
    W3Encoder encoder = W3EncoderModel.INSTANCE.init(PRNGKey.of(0), List.of("encoder"));
    W3Decoder decoder = W3DecoderModel.INSTANCE.init(PRNGKey.of(0), List.of("decoder"));
    assertBitEqual("encoder/", W3EncoderModel.INSTANCE.toFlax(encoder));
    assertBitEqual("decoder/", W3DecoderModel.INSTANCE.toFlax(decoder));
  }

  @Test
  void generatedForwardMatchesFlax() {
    W3Encoder encoder = W3EncoderModel.INSTANCE.fromFlax(params("encoder/"));
    W3Decoder decoder = W3DecoderModel.INSTANCE.fromFlax(params("decoder/"));
    INDArray stats = W3EncoderModel.INSTANCE.apply(encoder, W3.get("W3/x"));
    INDArray mean = stats.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 50));
    INDArray logStd = stats.get(NDArrayIndex.all(), NDArrayIndex.interval(50, 100));
    assertClose(W3.get("W3/mean"), mean, 1e-5);
    assertClose(W3.get("W3/log_std"), logStd, 1e-5);
    INDArray z = mean.add(Transforms.exp(logStd).mul(W3.get("W3/eps")));
    assertClose(W3.get("W3/logits"), W3DecoderModel.INSTANCE.apply(decoder, z), 1e-5);
  }

  @Test
  void wholeVaeLossAndEveryGradientMatchFlax() {
    W3VaeModel model = W3VaeModel.INSTANCE;
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    params("encoder/").forEach((k, v) -> arrays.put("encoder/" + k, v));
    params("decoder/").forEach((k, v) -> arrays.put("decoder/" + k, v));
    W3Vae p = model.fromFlax(arrays);
    INDArray x = W3.get("W3/x");
    W3VaeModel.Tape t = model.tape(x);
    t.zEps.assign(W3.get("W3/eps")); // no noise key: the fixture's eps is the noise
    W3VaeModel.Outputs out = model.forward(p, x, t);
    assertClose(W3.get("W3/mean"), out.mean(), 1e-5);
    assertClose(W3.get("W3/log_std"), out.logStd(), 1e-5);
    assertClose(W3.get("W3/logits"), out.decoder(), 1e-5);
    INDArray dLogits = out.decoder().like();
    INDArray dMean = out.mean().like();
    INDArray dLogStd = out.logStd().like();
    double loss = VaeLoss.valueAndGradients(out.decoder(), x, out.mean(), out.logStd(), dLogits, dMean, dLogStd);
    assertEquals(W3.get("W3/loss").getDouble(0), loss, 1e-5 * Math.abs(loss));
    W3Vae grads = model.zerosLike(p);
    model.backward(p, t, new W3VaeModel.Outputs(dMean, dLogStd, dLogits), grads, false);
    for (Map.Entry<String, INDArray> e : model.toFlax(grads).entrySet()) {
      assertClose(W3.get("W3/grad/" + e.getKey()), e.getValue(), 1e-4);
    }
  }

  private static Map<String, INDArray> params(String prefix) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (String key : W3.all().keySet()) {
      if (key.startsWith("W3/params/" + prefix)) {
        out.put(key.substring(("W3/params/" + prefix).length()), W3.get(key));
      }
    }
    return out;
  }

  private static void assertBitEqual(String prefix, Map<String, INDArray> generated) {
    assertEquals(params(prefix).keySet(), generated.keySet());
    for (Map.Entry<String, INDArray> e : generated.entrySet()) {
      float[] expected = W3.raw("W3/params/" + prefix + e.getKey()).toFloats();
      assertArrayEquals(expected, e.getValue().dup().data().asFloat(), prefix + e.getKey());
    }
  }

  private static void assertClose(INDArray expected, INDArray actual, double tolerance) {
    assertArrayEquals(expected.shape(), actual.shape());
    double error = expected.sub(actual).amaxNumber().doubleValue() / expected.amaxNumber().doubleValue();
    assertTrue(error <= tolerance, "relative error " + error);
  }
}
