package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.random.PRNGKey;
import dev.kiln.runtime.testing.GradientCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** W4 and the DCGAN: the generator's gradient through the discriminator, and a short run that draws samples. */
class GanTest {
  private static final GanGeneratorModel G = GanGeneratorModel.INSTANCE;
  private static final GanDiscriminatorModel D = GanDiscriminatorModel.INSTANCE;

  @Test
  void generatorGradientThroughTheDiscriminatorMatchesFiniteDifferences() {
    GanDiscriminator dp = D.fromFlax(doubles(D.toFlax(D.init(PRNGKey.of(1)))));
    Map<String, INDArray> inputs = doubles(G.toFlax(G.init(PRNGKey.of(2))));
    INDArray z = GradientCheck.randn(3, 2, 100);
    GradientCheck.of(inputs).eps(1e-5).check(
        in -> {
          INDArray fake = G.forward(G.fromFlax(in), z, G.tape(z)).dup();
          return D.forward(dp, fake, D.tape(fake)).dup();
        },
        (in, ct) -> {
          GanGenerator gp = G.fromFlax(in);
          GanGeneratorModel.Tape gt = G.tape(z);
          INDArray fake = G.forward(gp, z, gt);
          GanDiscriminatorModel.Tape dt = D.tape(fake);
          D.forward(dp, fake, dt);
          INDArray dFake = D.backward(dp, dt, ct, D.zerosLike(dp), true);
          GanGenerator grads = G.zerosLike(gp);
          G.backward(gp, gt, dFake, grads, false);
          // the biases carry the whole chain rule through both models at a cost finite differences can afford
          return Map.of("hidden/bias", grads.hidden().bias(), "image/bias", grads.image().bias());
        });
  }

  @Test
  void trainsAndDrawsSamples(@TempDir Path dir) throws Exception {
    Path data = Path.of(GanTest.class.getResource("/fashion-mnist-small").toURI());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    double stepsPerSecond = Gan.train(Gan.MLP, FashionMnist.train(data), 1, 128, 0, dir,
        new PrintStream(log, true, StandardCharsets.UTF_8));
    assertTrue(stepsPerSecond > 0, log.toString(StandardCharsets.UTF_8));
    assertTrue(ImageIO.read(dir.resolve("samples-1.png").toFile()).getWidth() > 8 * 28);
    assertTrue(ImageIO.read(dir.resolve("interpolation.png").toFile()).getWidth() > 10 * 28);
  }

  @Test
  void dcganGeneratorGradientThroughTheDiscriminatorMatchesFiniteDifferences() {
    DcganDiscriminatorModel d = DcganDiscriminatorModel.INSTANCE;
    DcganGeneratorModel g = DcganGeneratorModel.INSTANCE;
    DcganDiscriminator dp = d.fromFlax(doubles(d.toFlax(d.init(PRNGKey.of(1)))));
    Map<String, INDArray> inputs = doubles(g.variables(g.init(PRNGKey.of(2))));
    INDArray z = GradientCheck.randn(3, 2, 100);
    // the generator trains with batch statistics, as in Gan.train; the running statistics are inputs
    // that the check leaves alone (their gradient is not asked for)
    GradientCheck.of(inputs).eps(1e-5).check(
        in -> {
          DcganGeneratorModel.Tape gt = g.tape(z);
          gt.training = true;
          INDArray fake = g.forward(g.fromFlax(in), z, gt).dup();
          return d.forward(dp, fake, d.tape(fake)).dup();
        },
        (in, ct) -> {
          DcganGenerator gp = g.fromFlax(in);
          DcganGeneratorModel.Tape gt = g.tape(z);
          gt.training = true;
          INDArray fake = g.forward(gp, z, gt);
          DcganDiscriminatorModel.Tape dt = d.tape(fake);
          d.forward(dp, fake, dt);
          INDArray dFake = d.backward(dp, dt, ct, d.zerosLike(dp), true);
          DcganGenerator grads = g.zerosLike(gp);
          g.backward(gp, gt, dFake, grads, false);
          return Map.of("image/bias", grads.image().bias(), "upNorm/scale", grads.upNorm().scale(),
              "projectNorm/bias", grads.projectNorm().bias());
        });
  }

  @Test
  void dcganTrainsAndItsGeneratorLoadsBack(@TempDir Path dir) throws Exception {
    Path data = Path.of(GanTest.class.getResource("/fashion-mnist-small").toURI());
    Dataset images = FashionMnist.train(data);
    Dataset few = new Dataset(images.features().get(NDArrayIndex.interval(0, 256)),
        images.labels().get(NDArrayIndex.interval(0, 256)));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Gan.train(Gan.DCGAN, few, 1, 64, 0, dir, new PrintStream(log, true, StandardCharsets.UTF_8));
    INDArray samples = Gan.DCGAN.load(dir.resolve("generator.safetensors")).samples(PRNGKey.of(5), 4);
    assertArrayEquals(new long[] {4, 28, 28, 1}, samples.shape());
    assertTrue(samples.minNumber().doubleValue() >= 0 && samples.maxNumber().doubleValue() <= 1, log.toString());
    // the running statistics were trained and saved: evaluation mode does not see the initial (0, 1)
    DcganGenerator trained = DcganGeneratorModel.INSTANCE.fromFlax(
        dev.kiln.runtime.io.ParameterFiles.load(dir.resolve("generator.safetensors")));
    assertTrue(trained.upNorm().mean().amaxNumber().doubleValue() > 0);
  }

  private static Map<String, INDArray> doubles(Map<String, INDArray> arrays) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    arrays.forEach((k, v) -> out.put(k, v.castTo(DataType.DOUBLE)));
    return out;
  }
}
