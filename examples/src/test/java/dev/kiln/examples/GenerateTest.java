package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.random.JaxRandom;
import dev.kiln.runtime.random.PRNGKey;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The generate command and what it is made of: latent walks and the sample-quality figure. */
class GenerateTest {
  @Test
  void sampleQualityCountsConfidentImagesAndTheEntropyOfTheirClasses() {
    INDArray probabilities = Nd4j.createFromArray(new float[][] {
        {0.95f, 0.05f, 0f, 0f}, // class 0, confident
        {0.04f, 0.96f, 0f, 0f}, // class 1, confident
        {0.20f, 0.70f, 0.1f, 0f}, // class 1, unsure
        {0f, 0f, 0.01f, 0.99f}}); // class 3, confident
    SampleQuality q = SampleQuality.of(probabilities);
    assertEquals(0.75, q.confidentShare(), 1e-12);
    assertArrayEquals(new long[] {1, 2, 0, 1}, q.histogram());
    // p = (1/4, 1/2, 1/4): 1.5 bits
    assertEquals(1.5, q.classEntropyBits(), 1e-12);
    assertEquals(0, SampleQuality.of(probabilities.get(NDArrayIndex.interval(0, 1))).classEntropyBits(), 1e-12);
  }

  @Test
  void aLatentWalkStartsAndEndsAtItsTwoCodes() {
    // the identity "decoder" shows the codes themselves
    ImageGenerator codes = new ImageGenerator(3, z -> z.dup());
    PRNGKey key = PRNGKey.of(4);
    INDArray walk = codes.interpolation(key, 2, 5);
    PRNGKey[] ends = key.split(2);
    INDArray from = JaxRandom.normal(ends[0], 2, 3);
    INDArray to = JaxRandom.normal(ends[1], 2, 3);
    assertEquals(from.getRow(1), walk.getRow(5));
    assertTrue(to.getRow(1).equalsWithEps(walk.getRow(9), 1e-6));
    assertTrue(from.getRow(0).add(to.getRow(0)).divi(2).equalsWithEps(walk.getRow(2), 1e-6));
  }

  @Test
  void generatesAGridWalksAndTheQualityTableFromCheckpoints(@TempDir Path dir) throws Exception {
    Path generator = dir.resolve("generator.safetensors");
    ParameterFiles.save(generator, GanGeneratorModel.INSTANCE.variables(GanGeneratorModel.INSTANCE.init(PRNGKey.of(1))));
    Path classifier = dir.resolve("lenet.safetensors");
    ParameterFiles.save(classifier, FashionLeNetModel.INSTANCE.variables(FashionLeNetModel.INSTANCE.init(PRNGKey.of(2))));

    CliTest.Result grid = CliTest.cli("generate", "--model", "gan", "--params", generator.toString(), "-n", "9");
    assertEquals(0, grid.status(), grid.err());
    BufferedImage png = ImageIO.read(dir.resolve("generated.png").toFile());
    assertTrue(png.getWidth() > 3 * 28 && png.getWidth() < 4 * 3 * 28, "3 columns, found width " + png.getWidth());

    CliTest.Result walks = CliTest.cli("generate", "--model", "gan", "--params", generator.toString(),
        "--interpolate", "6", "-n", "2", "--out", dir.resolve("walk.png").toString());
    assertEquals(0, walks.status(), walks.err());
    BufferedImage strip = ImageIO.read(dir.resolve("walk.png").toFile());
    assertTrue(strip.getWidth() > 6 * 28 && strip.getHeight() < 3 * 3 * 28);

    CliTest.Result quality = CliTest.cli("generate", "--model", "gan", "--params", generator.toString(), "-n",
        "50", "--classifier", classifier.toString(), "--data", CliTest.slice().toString());
    assertEquals(0, quality.status(), quality.err());
    assertTrue(quality.out().contains("share p >= 0.9") && quality.out().contains("class entropy (bits)"),
        quality.out());
  }

  @Test
  void generateNeedsAGenerativeModelAndItsOwnCheckpoint(@TempDir Path dir) throws Exception {
    Path generator = dir.resolve("generator.safetensors");
    ParameterFiles.save(generator, GanGeneratorModel.INSTANCE.variables(GanGeneratorModel.INSTANCE.init(PRNGKey.of(1))));
    CliTest.Result classifier = CliTest.cli("generate", "--model", "cnn", "--params", generator.toString());
    assertEquals(2, classifier.status());
    assertTrue(classifier.err().contains("generate needs a generative --model"), classifier.err());
    CliTest.Result wrong = CliTest.cli("generate", "--model", "dcgan", "--params", generator.toString());
    assertEquals(1, wrong.status());
    assertTrue(wrong.err().contains("holds parameters of another model"), wrong.err());
  }
}
