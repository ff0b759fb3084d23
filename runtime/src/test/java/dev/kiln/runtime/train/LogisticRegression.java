package dev.kiln.runtime.train;

import dev.kiln.runtime.loss.Loss;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.model.TrainStep;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.OptimizerState;
import dev.kiln.runtime.random.PRNGKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A hand-written softmax regression (Dense without hidden layers) with its own loss and plain SGD,
 * so the training loop is tested without depending on generated models, losses or optimizers.
 */
record LogisticRegression(INDArray kernel, INDArray bias) {

  static final class Model implements ModelDefinition<LogisticRegression> {
    final int features;
    final int classes;

    Model(int features, int classes) {
      this.features = features;
      this.classes = classes;
    }

    @Override
    public String name() {
      return "LogisticRegression";
    }

    @Override
    public long[] inputShape() {
      return new long[] {features};
    }

    @Override
    public LogisticRegression init(PRNGKey key) {
      return new LogisticRegression(Nd4j.zeros(DataType.FLOAT, features, classes), Nd4j.zeros(DataType.FLOAT, classes));
    }

    @Override
    public INDArray apply(LogisticRegression p, INDArray x) {
      return x.mmul(p.kernel()).addRowVector(p.bias());
    }

    @Override
    public LogisticRegression zerosLike(LogisticRegression p) {
      return new LogisticRegression(p.kernel().like(), p.bias().like());
    }

    @Override
    public java.util.function.UnaryOperator<INDArray> predictor(LogisticRegression p) {
      return x -> apply(p, x);
    }

    @Override
    public LinkedHashMap<String, long[]> parameterShapes() {
      LinkedHashMap<String, long[]> m = new LinkedHashMap<>();
      m.put("dense/kernel", new long[] {features, classes});
      m.put("dense/bias", new long[] {classes});
      return m;
    }

    @Override
    public LinkedHashMap<String, INDArray> toFlax(LogisticRegression p) {
      LinkedHashMap<String, INDArray> m = new LinkedHashMap<>();
      m.put("dense/kernel", p.kernel());
      m.put("dense/bias", p.bias());
      return m;
    }

    @Override
    public LogisticRegression fromFlax(Map<String, INDArray> arrays) {
      return new LogisticRegression(arrays.get("dense/kernel"), arrays.get("dense/bias"));
    }

    @Override
    public String summary() {
      return "Dense " + features + " -> " + classes;
    }

    @Override
    public TrainStep<LogisticRegression> trainer(LogisticRegression params, Loss loss, Optimizer optimizer) {
      Model model = this;
      OptimizerState state = optimizer.init(leaves(params));
      return new TrainStep<>() {
        LogisticRegression grads;

        @Override
        public double step(INDArray x, INDArray y) {
          INDArray logits = predict(x);
          INDArray g = Nd4j.zerosLike(logits);
          double value = loss.valueAndGradient(logits, y, g);
          grads = new LogisticRegression(x.transpose().mmul(g), g.sum(0));
          optimizer.update(leaves(params), leaves(grads), state);
          return value;
        }

        @Override
        public INDArray predict(INDArray x) {
          return apply(params, x);
        }

        @Override
        public LogisticRegression params() {
          return params;
        }

        @Override
        public LogisticRegression gradients() {
          return grads;
        }

        @Override
        public OptimizerState optimizerState() {
          return state;
        }

        @Override
        public ModelDefinition<LogisticRegression> model() {
          return model;
        }
      };
    }
  }

  /** Mean softmax cross-entropy of logits [B, C] against int class ids [B]. */
  static final class CrossEntropy implements Loss {
    @Override
    public double value(INDArray prediction, INDArray target) {
      return valueAndGradient(prediction, target, Nd4j.zerosLike(prediction));
    }

    @Override
    public double valueAndGradient(INDArray logits, INDArray target, INDArray gradient) {
      int b = (int) logits.size(0);
      int c = (int) logits.size(1);
      double total = 0;
      for (int i = 0; i < b; i++) {
        int label = target.getInt(i);
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
          max = Math.max(max, logits.getDouble(i, j));
        }
        double sum = 0;
        for (int j = 0; j < c; j++) {
          sum += Math.exp(logits.getDouble(i, j) - max);
        }
        total += Math.log(sum) + max - logits.getDouble(i, label);
        for (int j = 0; j < c; j++) {
          double p = Math.exp(logits.getDouble(i, j) - max) / sum;
          gradient.putScalar(i, j, (p - (j == label ? 1 : 0)) / b);
        }
      }
      return total / b;
    }
  }

  /** optax.sgd without momentum. */
  record Sgd(double learningRate) implements Optimizer {
    @Override
    public OptimizerState init(List<INDArray> params) {
      return new OptimizerState();
    }

    @Override
    public void update(List<INDArray> params, List<INDArray> grads, OptimizerState state) {
      for (int i = 0; i < params.size(); i++) {
        params.get(i).subi(grads.get(i).mul(learningRate));
      }
      state.setStep(state.step() + 1);
    }
  }
}
