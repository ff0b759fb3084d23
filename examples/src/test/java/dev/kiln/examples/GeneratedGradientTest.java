package dev.kiln.examples;

import dev.kiln.examples.models.Branchy;
import dev.kiln.examples.models.BranchyModel;
import dev.kiln.examples.models.ReluPoolCnn;
import dev.kiln.examples.models.ReluPoolCnnModel;
import dev.kiln.examples.models.TinyMlp;
import dev.kiln.examples.models.TinyMlpModel;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.testing.GradientCheck;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Finite-difference checks, in double precision, of the backward passes the processor writes:
 * every parameter and the input, through flatten views, a sub-model, a shared value, two outputs and
 * a ReLU the processor moves after a max pool.
 */
class GeneratedGradientTest {
  @Test
  void mlpBackwardMatchesFiniteDifferences() {
    TinyMlpModel model = TinyMlpModel.INSTANCE;
    Map<String, INDArray> inputs = doubles(model.toFlax(model.init(PRNGKey.of(1))));
    inputs.put("input", GradientCheck.randn(2, 2, 4, 3, 2));
    GradientCheck.of(inputs).check(
        in -> model.forward(model.fromFlax(withoutInput(in)), in.get("input"), model.tape(in.get("input"))).dup(),
        (in, ct) -> {
          TinyMlp p = model.fromFlax(withoutInput(in));
          TinyMlpModel.Tape t = model.tape(in.get("input"));
          model.forward(p, in.get("input"), t);
          TinyMlp g = model.zerosLike(p);
          INDArray dx = model.backward(p, t, ct, g, true);
          Map<String, INDArray> grads = new LinkedHashMap<>(model.toFlax(g));
          grads.put("input", dx.dup());
          return grads;
        });
  }

  @Test
  void branchingMultiOutputBackwardMatchesFiniteDifferences() {
    BranchyModel model = BranchyModel.INSTANCE;
    Map<String, INDArray> inputs = doubles(model.toFlax(model.init(PRNGKey.of(2))));
    inputs.put("input", GradientCheck.randn(3, 2, 5, 3));
    GradientCheck.of(inputs).check(
        in -> {
          BranchyModel.Outputs out = model.forward(model.fromFlax(withoutInput(in)), in.get("input"), model.tape(in.get("input")));
          return Nd4j.concat(2, out.logits(), out.gate()).dup();
        },
        (in, ct) -> {
          Branchy p = model.fromFlax(withoutInput(in));
          BranchyModel.Tape t = model.tape(in.get("input"));
          model.forward(p, in.get("input"), t);
          Branchy g = model.zerosLike(p);
          BranchyModel.Outputs dOut = new BranchyModel.Outputs(
              ct.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 2)).dup(),
              ct.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2, 6)).dup());
          INDArray dx = model.backward(p, t, dOut, g, true);
          Map<String, INDArray> grads = new LinkedHashMap<>(model.toFlax(g));
          grads.put("input", dx.dup());
          return grads;
        });
  }

  /** The processor runs the convolution's ReLU after the pool; the gradients are those of the model as declared. */
  @Test
  void reluBeforeMaxPoolBackwardMatchesFiniteDifferences() {
    ReluPoolCnnModel model = ReluPoolCnnModel.INSTANCE;
    Map<String, INDArray> inputs = doubles(model.toFlax(model.init(PRNGKey.of(3))));
    inputs.put("input", GradientCheck.randn(8, 3, 6, 6, 2));
    GradientCheck.of(inputs).eps(1e-4).maxRelError(1e-5).check(
        in -> model.forward(model.fromFlax(withoutInput(in)), in.get("input"), model.tape(in.get("input"))).dup(),
        (in, ct) -> {
          ReluPoolCnn p = model.fromFlax(withoutInput(in));
          ReluPoolCnnModel.Tape t = model.tape(in.get("input"));
          model.forward(p, in.get("input"), t);
          ReluPoolCnn g = model.zerosLike(p);
          INDArray dx = model.backward(p, t, ct, g, true);
          Map<String, INDArray> grads = new LinkedHashMap<>(model.toFlax(g));
          grads.put("input", dx.dup());
          return grads;
        });
  }

  private static Map<String, INDArray> withoutInput(Map<String, INDArray> inputs) {
    Map<String, INDArray> params = new LinkedHashMap<>(inputs);
    params.remove("input");
    return params;
  }

  private static Map<String, INDArray> doubles(Map<String, INDArray> arrays) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    arrays.forEach((k, v) -> out.put(k, v.castTo(DataType.DOUBLE)));
    return out;
  }
}
