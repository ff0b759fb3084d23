package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** W4: the generator's gradient through the discriminator, and a short run that draws samples. */
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
    double stepsPerSecond = Gan.train(FashionMnist.train(data), 1, 128, 0, dir,
        new PrintStream(log, true, StandardCharsets.UTF_8));
    assertTrue(stepsPerSecond > 0, log.toString(StandardCharsets.UTF_8));
    assertTrue(ImageIO.read(dir.resolve("samples-1.png").toFile()).getWidth() > 8 * 28);
  }

  private static Map<String, INDArray> doubles(Map<String, INDArray> arrays) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    arrays.forEach((k, v) -> out.put(k, v.castTo(DataType.DOUBLE)));
    return out;
  }
}
