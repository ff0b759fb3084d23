package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.data.Dataset;
import dev.kiln.runtime.data.FashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** W3 and W3c end to end on the shipped Fashion-MNIST slice: the negative ELBO falls and samples are drawn. */
class VaeTest {
  @Test
  void trainsAVaeAndDrawsSamples(@TempDir Path dir) throws Exception {
    Path data = Path.of(VaeTest.class.getResource("/fashion-mnist-small").toURI());
    Dataset train = FashionMnist.train(data);
    Dataset test = FashionMnist.test(data);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    double elbo = Vae.train(Vae.MLP, train, test, 2, 128, 1e-3, 0, dir, new PrintStream(log, true, StandardCharsets.UTF_8));
    // an untrained decoder scores about 543 nats (784 * ln 2); two epochs on 3,000 images get far below
    assertTrue(elbo < 400, "test -ELBO " + elbo + "\n" + log);
    assertTrue(ImageIO.read(dir.resolve("samples-2.png").toFile()).getWidth() > 8 * 28);
    assertTrue(dir.resolve("params.safetensors").toFile().length() > 0);
  }

  @Test
  void convolutionalVaeTrainsToo(@TempDir Path dir) throws Exception {
    Path data = Path.of(VaeTest.class.getResource("/fashion-mnist-small").toURI());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    double elbo = Vae.train(Vae.CONV, FashionMnist.train(data), FashionMnist.test(data), 1, 128, 1e-3, 0, dir,
        new PrintStream(log, true, StandardCharsets.UTF_8));
    assertTrue(elbo < 450, "test -ELBO " + elbo + "\n" + log);
  }
}
