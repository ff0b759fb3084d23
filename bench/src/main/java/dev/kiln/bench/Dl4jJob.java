package dev.kiln.bench;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.variational.BernoulliReconstructionDistribution;
import org.deeplearning4j.nn.conf.layers.variational.VariationalAutoencoder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * A child process: the same workload configured as DL4J layers (MultiLayerNetwork, Adam, same batch
 * size) on the same synthetic batches, in DL4J's native NCHW layout. W3 uses DL4J's own MLP
 * VariationalAutoencoder layer (pretrained layer-wise, one sample); DL4J has no convolutional VAE,
 * so W3c is not run. W4 is the usual DL4J GAN: a discriminator network and a generator stacked on
 * a frozen copy of the discriminator whose parameters are copied in before each generator update.
 * Arguments: workload id, seconds, warm-up steps.
 */
final class Dl4jJob {
  private Dl4jJob() {}

  public static void main(String[] args) {
    Workload w = Workload.of(args[0]);
    if (w == Workload.W3C) {
      System.out.println("UNSUPPORTED DL4J has no convolutional VAE (its VariationalAutoencoder layer is MLP-only)");
      return;
    }
    StepLoop.run(step(w, new SyntheticData()), Integer.parseInt(args[2]), Double.parseDouble(args[1]),
        w.itemsPerStep());
  }

  private static NeuralNetConfiguration.ListBuilder layers(double lr, double b1) {
    return new NeuralNetConfiguration.Builder()
        .seed(0)
        .dataType(DataType.FLOAT)
        .weightInit(WeightInit.LECUN_NORMAL)
        .updater(new Adam(lr, b1, 0.999, 1e-8))
        .list();
  }

  static Runnable step(Workload w, SyntheticData data) {
    return switch (w) {
      case W1 -> classifier(layers(1e-3, 0.9)
          .layer(conv(32))
          .layer(conv(64))
          .layer(softmax(10))
          .setInputType(InputType.convolutional(28, 28, 1))
          .build(), w, data);
      case W1B -> classifier(layers(1e-3, 0.9)
          .layer(conv(32))
          .layer(maxPool())
          .layer(conv(64))
          .layer(maxPool())
          .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
          .layer(softmax(10))
          .setInputType(InputType.convolutional(28, 28, 1))
          .build(), w, data);
      case W2 -> sentiment(w, data);
      case W3 -> vae(w, data);
      case W3C -> throw new IllegalArgumentException("DL4J has no convolutional VAE");
      case W4 -> gan(w, data);
    };
  }

  private static ConvolutionLayer conv(int features) {
    return new ConvolutionLayer.Builder(3, 3).nOut(features).convolutionMode(ConvolutionMode.Same)
        .activation(Activation.RELU).build();
  }

  private static SubsamplingLayer maxPool() {
    return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
  }

  private static OutputLayer softmax(int classes) {
    return new OutputLayer.Builder(LossFunction.MCXENT).nOut(classes).activation(Activation.SOFTMAX).build();
  }

  private static MultiLayerNetwork network(MultiLayerConfiguration conf) {
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  private static Runnable classifier(MultiLayerConfiguration conf, Workload w, SyntheticData data) {
    MultiLayerNetwork net = network(conf);
    DataSet[] batches = new DataSet[SyntheticData.BATCHES];
    for (int i = 0; i < batches.length; i++) {
      INDArray nchw = data.images(w.batch, 0, 1).permute(0, 3, 1, 2).dup('c');
      batches[i] = new DataSet(nchw, oneHot(data.labels(w.batch, 10), 10));
    }
    return KilnJob.cycling(i -> net.fit(batches[i]));
  }

  private static Runnable sentiment(Workload w, SyntheticData data) {
    MultiLayerNetwork net = network(layers(1e-3, 0.9)
        .layer(new EmbeddingSequenceLayer.Builder().nIn(Workload.VOCABULARY).nOut(64)
            .inputLength(Workload.SEQUENCE).build())
        .layer(new LastTimeStep(new LSTM.Builder().nIn(64).nOut(64).activation(Activation.TANH).build()))
        .layer(new OutputLayer.Builder(LossFunction.MCXENT).nIn(64).nOut(2).activation(Activation.SOFTMAX).build())
        .build());
    DataSet[] batches = new DataSet[SyntheticData.BATCHES];
    for (int i = 0; i < batches.length; i++) {
      INDArray ids = data.tokens(w.batch, Workload.SEQUENCE, Workload.VOCABULARY);
      INDArray mask = ids.neq(0).castTo(DataType.FLOAT);
      batches[i] = new DataSet(ids.castTo(DataType.FLOAT), oneHot(data.labels(w.batch, 2), 2), mask, null);
    }
    return KilnJob.cycling(i -> net.fit(batches[i]));
  }

  private static Runnable vae(Workload w, SyntheticData data) {
    MultiLayerNetwork net = network(layers(1e-3, 0.9)
        .layer(new VariationalAutoencoder.Builder().nIn(784).nOut(50)
            .encoderLayerSizes(256).decoderLayerSizes(256)
            .activation(Activation.RELU).pzxActivationFunction(Activation.IDENTITY)
            .reconstructionDistribution(new BernoulliReconstructionDistribution(Activation.SIGMOID))
            .build())
        .build());
    INDArray[] x = new INDArray[SyntheticData.BATCHES];
    for (int i = 0; i < x.length; i++) {
      x[i] = data.images(w.batch, 0, 1).reshape(w.batch, 784);
    }
    return KilnJob.cycling(i -> net.pretrainLayer(0, x[i]));
  }

  private static Runnable gan(Workload w, SyntheticData data) {
    MultiLayerNetwork discriminator = network(layers(2e-4, 0.5)
        .layer(new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunction.XENT).nIn(256).nOut(1).activation(Activation.SIGMOID).build())
        .build());
    MultiLayerNetwork stacked = network(layers(2e-4, 0.5)
        .layer(new DenseLayer.Builder().nIn(Workload.CODE).nOut(256).activation(Activation.RELU).build())
        .layer(new DenseLayer.Builder().nIn(256).nOut(784).activation(Activation.TANH).build())
        .layer(new FrozenLayerWithBackprop(
            new DenseLayer.Builder().nIn(784).nOut(256).activation(Activation.RELU).build()))
        .layer(new FrozenLayerWithBackprop(
            new OutputLayer.Builder(LossFunction.XENT).nIn(256).nOut(1).activation(Activation.SIGMOID).build()))
        .build());
    INDArray[] real = new INDArray[SyntheticData.BATCHES];
    INDArray[] codes = new INDArray[SyntheticData.BATCHES];
    for (int i = 0; i < real.length; i++) {
      real[i] = data.images(w.batch, -1, 1).reshape(w.batch, 784);
      codes[i] = data.normal(w.batch, Workload.CODE);
    }
    INDArray realAndFakeLabels = Nd4j.vstack(Nd4j.ones(DataType.FLOAT, w.batch, 1),
        Nd4j.zeros(DataType.FLOAT, w.batch, 1));
    INDArray ones = Nd4j.ones(DataType.FLOAT, w.batch, 1);
    return KilnJob.cycling(i -> {
      INDArray fake = stacked.activateSelectedLayers(0, 1, codes[i]);
      discriminator.fit(new DataSet(Nd4j.vstack(real[i], fake), realAndFakeLabels));
      stacked.getLayer(2).setParams(discriminator.getLayer(0).params());
      stacked.getLayer(3).setParams(discriminator.getLayer(1).params());
      stacked.fit(new DataSet(codes[i], ones));
    });
  }

  private static INDArray oneHot(INDArray labels, int classes) {
    INDArray out = Nd4j.zeros(DataType.FLOAT, labels.length(), classes);
    for (int i = 0; i < labels.length(); i++) {
      out.putScalar(i, labels.getInt(i), 1f);
    }
    return out;
  }
}
