package test;

import dev.kiln.annotations.Activation;
import dev.kiln.runtime.loss.Loss;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.model.ModelSupport;
import dev.kiln.runtime.model.TapeCache;
import dev.kiln.runtime.nn.ActivationOps;
import dev.kiln.runtime.nn.DenseOps;
import dev.kiln.runtime.nn.DenseParams;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.random.FlaxRng;
import dev.kiln.runtime.random.Initializers;
import dev.kiln.runtime.random.PRNGKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.annotation.processing.Generated;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The compiled form of {@link Mlp}: shapes checked at compile time, code for every pass.
 */
@Generated("dev.kiln.processor.KilnProcessor")
public final class MlpModel implements ModelDefinition<Mlp> {
  public static final MlpModel INSTANCE = new MlpModel();

  private static final String SUMMARY = "                                                Mlp summary\n"
      + "┌────────┬─────────────────────────────┬─────────────┬─────────┬──────────────────────────┬───────────────┐\n"
      + "│ path   │ module                      │ inputs      │ outputs │ params                   │ FLOPs/example │\n"
      + "├────────┼─────────────────────────────┼─────────────┼─────────┼──────────────────────────┼───────────────┤\n"
      + "│        │ Mlp                         │ (B,28,28,1) │ (B,10)  │                          │ 203,402       │\n"
      + "├────────┼─────────────────────────────┼─────────────┼─────────┼──────────────────────────┼───────────────┤\n"
      + "│ hidden │ Flatten -> Dense(128, relu) │ (B,28,28,1) │ (B,128) │ bias: float32[128]       │ 200,832       │\n"
      + "│        │                             │             │         │ kernel: float32[784,128] │               │\n"
      + "│        │                             │             │         │                          │               │\n"
      + "│        │                             │             │         │ 100,480 (401.9 KB)       │               │\n"
      + "├────────┼─────────────────────────────┼─────────────┼─────────┼──────────────────────────┼───────────────┤\n"
      + "│ logits │ Dense(10)                   │ (B,128)     │ (B,10)  │ bias: float32[10]        │ 2,570         │\n"
      + "│        │                             │             │         │ kernel: float32[128,10]  │               │\n"
      + "│        │                             │             │         │                          │               │\n"
      + "│        │                             │             │         │ 1,290 (5.2 KB)           │               │\n"
      + "├────────┼─────────────────────────────┼─────────────┼─────────┼──────────────────────────┼───────────────┤\n"
      + "│        │                             │             │ Total   │ 101,770 (407.1 KB)       │ 203,402       │\n"
      + "└────────┴─────────────────────────────┴─────────────┴─────────┴──────────────────────────┴───────────────┘\n"
      + "Total parameters: 101,770 (407.1 KB)\n";

  private MlpModel() {
  }

  @Override
  public String name() {
    return "Mlp";
  }

  @Override
  public long[] inputShape() {
    return new long[] {28, 28, 1};
  }

  @Override
  public Mlp init(PRNGKey key) {
    return init(key, List.of());
  }

  /**
   * Parameters for this model placed at Flax scope {@code scope} under the root key, as Flax derives one key per parameter.
   */
  public Mlp init(PRNGKey root, List<String> scope) {
    // hidden
    DenseParams hidden = new DenseParams(
          Initializers.lecunNormal().init(FlaxRng.paramKey(root, ModelSupport.scope(scope, "hidden"), 1), 784L, 128L),
          Initializers.zeros().init(FlaxRng.paramKey(root, ModelSupport.scope(scope, "hidden"), 2), 128L));
    // logits
    DenseParams logits = new DenseParams(
          Initializers.lecunNormal().init(FlaxRng.paramKey(root, ModelSupport.scope(scope, "logits"), 1), 128L, 10L),
          Initializers.zeros().init(FlaxRng.paramKey(root, ModelSupport.scope(scope, "logits"), 2), 10L));
    return new Mlp(hidden, logits);
  }

  /**
   * A new tape for batches shaped like {@code input}; checks the input's shape.
   */
  public Tape tape(INDArray input) {
    ModelSupport.checkInput("Mlp", inputShape(), input, false);
    return new Tape(input.size(0), ModelSupport.computeType(input));
  }

  /**
   * Runs the model on {@code input}, keeping in {@code t} what backward needs.
   */
  public INDArray forward(Mlp p, INDArray input, Tape t) {
    t.input = input;
    // hidden: Flatten  (B,28,28,1) -> (B,784)
    t.hiddenFlatten0 = t.input.reshape('c', t.batch, 784);
    // hidden: Dense(128, relu)  (B,784) -> (B,128)
    DenseOps.forward(t.hiddenFlatten0, p.hidden().kernel(), p.hidden().bias(), t.hidden);
    ActivationOps.forward(Activation.RELU, t.hidden, t.hidden);
    // logits: Dense(10)  (B,128) -> (B,10)
    DenseOps.forward(t.hidden, p.logits().kernel(), p.logits().bias(), t.logits);
    return t.logits;
  }

  /**
   * Gradients of {@code sum(output * dOutput)}: writes the parameter gradients into {@code g} and returns the input's cotangent when {@code needInputGradient} (else null).
   */
  public INDArray backward(Mlp p, Tape t, INDArray dOutput, Mlp g, boolean needInputGradient) {
    // logits: Dense(10)
    DenseOps.backward(t.hidden, p.logits().kernel(), dOutput, t.dHidden, g.logits().kernel(), g.logits().bias());
    // hidden: Dense(128, relu)
    ActivationOps.backward(Activation.RELU, t.hidden, t.hidden, t.dHidden, t.hiddenPreGrad);
    DenseOps.backward(t.hiddenFlatten0, p.hidden().kernel(), t.hiddenPreGrad, (needInputGradient ? t.dHiddenFlatten0 : null), g.hidden().kernel(), g.hidden().bias());
    // hidden: Flatten
    return needInputGradient ? t.dHiddenFlatten0.reshape('c', t.batch, 28, 28, 1) : null;
  }

  @Override
  public INDArray apply(Mlp params, INDArray input) {
    return forward(params, input, tape(input));
  }

  @Override
  public UnaryOperator<INDArray> predictor(Mlp params) {
    TapeCache<Tape> tapes = new TapeCache<>(this::tape, Tape::fits);
    return input -> forward(params, input, tapes.get(input));
  }

  @Override
  public Mlp zerosLike(Mlp p) {
    return new Mlp(
          new DenseParams(ModelSupport.zerosLike(p.hidden().kernel()), ModelSupport.zerosLike(p.hidden().bias())),
          new DenseParams(ModelSupport.zerosLike(p.logits().kernel()), ModelSupport.zerosLike(p.logits().bias())));
  }

  @Override
  public LinkedHashMap<String, long[]> parameterShapes() {
    LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
    putShapes("", shapes);
    return shapes;
  }

  /**
   * Adds every parameter's shape under {@code prefix}.
   */
  public void putShapes(String prefix, Map<String, long[]> shapes) {
    shapes.put(prefix + "hidden/kernel", new long[] {784L, 128L});
    shapes.put(prefix + "hidden/bias", new long[] {128L});
    shapes.put(prefix + "logits/kernel", new long[] {128L, 10L});
    shapes.put(prefix + "logits/bias", new long[] {10L});
  }

  @Override
  public LinkedHashMap<String, INDArray> toFlax(Mlp params) {
    LinkedHashMap<String, INDArray> arrays = new LinkedHashMap<>();
    putFlax(params, "", arrays);
    return arrays;
  }

  /**
   * Adds every parameter array under {@code prefix}, keyed by Flax path.
   */
  public void putFlax(Mlp p, String prefix, Map<String, INDArray> arrays) {
    arrays.put(prefix + "hidden/kernel", p.hidden().kernel());
    arrays.put(prefix + "hidden/bias", p.hidden().bias());
    arrays.put(prefix + "logits/kernel", p.logits().kernel());
    arrays.put(prefix + "logits/bias", p.logits().bias());
  }

  @Override
  public Mlp fromFlax(Map<String, INDArray> arrays) {
    ModelSupport.checkParameters("Mlp", parameterShapes(), stateShapes(), arrays);
    return build(arrays, "");
  }

  /**
   * The parameter record from arrays already checked against {@link #parameterShapes()}.
   */
  public Mlp build(Map<String, INDArray> arrays, String prefix) {
    return new Mlp(
          new DenseParams(arrays.get(prefix + "hidden/kernel"), arrays.get(prefix + "hidden/bias")),
          new DenseParams(arrays.get(prefix + "logits/kernel"), arrays.get(prefix + "logits/bias")));
  }

  @Override
  public String summary() {
    return SUMMARY;
  }

  @Override
  public MlpTrainer trainer(Mlp params, Loss loss, Optimizer optimizer) {
    return new MlpTrainer(params, loss, optimizer);
  }

  /**
   * The arrays of one forward and backward pass for one batch shape, allocated once and reused.
   */
  public static final class Tape {
    public final long batch;

    public final DataType dtype;

    public INDArray input;

    public INDArray hiddenFlatten0;

    public final INDArray hidden;

    public final INDArray logits;

    public final INDArray dLogits;

    public final INDArray dHidden;

    public final INDArray dHiddenFlatten0;

    public final INDArray hiddenPreGrad;

    public Tape(long batch, DataType dtype) {
      this.batch = batch;
      this.dtype = dtype;
      hidden = Nd4j.create(dtype, batch, 128);
      logits = Nd4j.create(dtype, batch, 10);
      dLogits = Nd4j.create(dtype, batch, 10);
      dHidden = Nd4j.create(dtype, batch, 128);
      dHiddenFlatten0 = Nd4j.create(dtype, batch, 784);
      hiddenPreGrad = Nd4j.create(dtype, batch, 128);
    }

    /**
     * Whether this tape serves {@code input} (same batch size, sizes and data type).
     */
    public boolean fits(INDArray input) {
      return input.size(0) == batch && ModelSupport.computeType(input) == dtype;
    }

    /**
     * Each layer's output of the last forward pass in computation order, keyed {@code "component: layer"}
     * (a sub-model's prefixed with its name and a slash), after {@code "input"}.
     */
    public LinkedHashMap<String, INDArray> activations() {
      LinkedHashMap<String, INDArray> arrays = new LinkedHashMap<>();
      arrays.put("input", input);
      arrays.put("hidden: Flatten", hiddenFlatten0);
      arrays.put("hidden: Dense(128, relu)", hidden);
      arrays.put("logits: Dense(10)", logits);
      return arrays;
    }
  }
}
