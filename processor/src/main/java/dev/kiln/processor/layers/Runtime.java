package dev.kiln.processor.layers;

import com.palantir.javapoet.ClassName;

/** The runtime classes generated code refers to (the processor does not link against the runtime). */
public final class Runtime {
  public static final ClassName INDARRAY = ClassName.get("org.nd4j.linalg.api.ndarray", "INDArray");
  public static final ClassName ND4J = ClassName.get("org.nd4j.linalg.factory", "Nd4j");
  public static final ClassName DATA_TYPE = ClassName.get("org.nd4j.linalg.api.buffer", "DataType");
  public static final ClassName ACTIVATION = ClassName.get("dev.kiln.annotations", "Activation");
  public static final ClassName DENSE_OPS = ClassName.get("dev.kiln.runtime.nn", "DenseOps");
  public static final ClassName ACTIVATION_OPS = ClassName.get("dev.kiln.runtime.nn", "ActivationOps");
  public static final ClassName DENSE_PARAMS = ClassName.get("dev.kiln.runtime.nn", "DenseParams");
  public static final ClassName INITIALIZERS = ClassName.get("dev.kiln.runtime.random", "Initializers");
  public static final ClassName PRNG_KEY = ClassName.get("dev.kiln.runtime.random", "PRNGKey");
  public static final ClassName FLAX_RNG = ClassName.get("dev.kiln.runtime.random", "FlaxRng");
  public static final ClassName MODEL_DEFINITION = ClassName.get("dev.kiln.runtime.model", "ModelDefinition");
  public static final ClassName TRAIN_STEP = ClassName.get("dev.kiln.runtime.model", "TrainStep");
  public static final ClassName TAPE_CACHE = ClassName.get("dev.kiln.runtime.model", "TapeCache");
  public static final ClassName MODEL_SUPPORT = ClassName.get("dev.kiln.runtime.model", "ModelSupport");
  public static final ClassName LOSS = ClassName.get("dev.kiln.runtime.loss", "Loss");
  public static final ClassName OPTIMIZER = ClassName.get("dev.kiln.runtime.optim", "Optimizer");
  public static final ClassName OPTIMIZER_STATE = ClassName.get("dev.kiln.runtime.optim", "OptimizerState");

  private Runtime() {}
}
