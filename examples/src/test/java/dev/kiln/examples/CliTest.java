package dev.kiln.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.checkpoint.Checkpoint;
import dev.kiln.runtime.data.FashionMnist;
import dev.kiln.runtime.io.ParameterFiles;
import dev.kiln.runtime.random.PRNGKey;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The command line: predict's output and errors, and the confusion matrix train writes. */
class CliTest {
  private static final FashionMlpModel MODEL = FashionMlpModel.INSTANCE;
  private static final Path SLICE = slice();
  private static final Path TEST_IMAGES = SLICE.resolve("t10k-images-idx3-ubyte.gz");

  @TempDir static Path dir;
  static Path params;
  static FashionMlp initialised;

  /** What one run printed and returned. */
  record Result(int status, String out, String err) {}

  static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static Path slice() {
    try {
      return Path.of(CliTest.class.getResource("/fashion-mnist-small").toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeAll
  static void freshlyInitialisedCheckpoint() throws Exception {
    initialised = MODEL.init(PRNGKey.of(11));
    params = dir.resolve("mlp.safetensors");
    ParameterFiles.save(params, MODEL.toFlax(initialised));
  }

  /** Image {@code i} of the test slice as an 8-bit gray PNG, each pixel repeated {@code zoom} x {@code zoom} times. */
  static Path writePng(INDArray images, int i, int zoom, String name) throws Exception {
    BufferedImage png = new BufferedImage(28 * zoom, 28 * zoom, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 28 * zoom; y++) {
      for (int x = 0; x < 28 * zoom; x++) {
        png.getRaster().setSample(x, y, 0, Math.round(images.getFloat(i, y / zoom, x / zoom, 0) * 255));
      }
    }
    Path file = dir.resolve(name);
    ImageIO.write(png, "png", file.toFile());
    return file;
  }

  /** The printed blocks: for each image its name line and its (class, probability) lines. */
  static List<List<String>> blocks(String out) {
    List<List<String>> blocks = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (!line.startsWith("  ")) {
        blocks.add(new ArrayList<>());
      }
      blocks.get(blocks.size() - 1).add(line);
    }
    return blocks;
  }

  static String className(String line) {
    return line.substring(line.indexOf('.') + 1, line.lastIndexOf(' ')).trim();
  }

  static double probability(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  @Test
  void predictsAPngWithEveryClassProbabilitySummingToOne() throws Exception {
    INDArray images = FashionMnist.test(SLICE).features();
    Path png = writePng(images, 0, 1, "item0.png");
    Result r = cli("predict", "--model", "mlp", "--params", params.toString(), "--top", "10", png.toString());
    assertEquals(0, r.status(), r.err());
    List<List<String>> blocks = blocks(r.out());
    assertEquals(1, blocks.size(), r.out());
    List<String> block = blocks.get(0);
    assertEquals(png.toString(), block.get(0));
    assertEquals(11, block.size(), r.out());
    double sum = 0;
    double previous = 1;
    INDArray expected = Transforms.softmax(MODEL.apply(initialised, images.get(NDArrayIndex.interval(0, 1))), true);
    for (int rank = 1; rank <= 10; rank++) {
      String line = block.get(rank);
      assertTrue(line.startsWith("  " + rank + ". "), line);
      double p = probability(line);
      assertTrue(p <= previous, "most probable first: " + r.out());
      previous = p;
      sum += p;
      int k = FashionMnist.classNames().indexOf(className(line));
      assertTrue(k >= 0, "a class name: " + line);
      assertEquals(expected.getDouble(0, k), p, 6e-5, "the PNG reads back as the slice image: " + line);
    }
    assertEquals(10, new HashSet<>(block.subList(1, 11).stream().map(CliTest::className).toList()).size());
    assertEquals(1, sum, 1e-3);
  }

  @Test
  void aLargerPngIsScaledDownSmoothly() throws Exception {
    INDArray images = FashionMnist.test(SLICE).features();
    Path small = writePng(images, 3, 1, "item3.png");
    Path large = writePng(images, 3, 3, "item3x3.png");
    Result r = cli("predict", "--params", params.toString(), small.toString(), large.toString());
    assertEquals(0, r.status(), r.err());
    List<List<String>> blocks = blocks(r.out());
    assertEquals(2, blocks.size());
    assertEquals(4, blocks.get(0).size(), "the default --top is 3");
    for (int rank = 1; rank <= 3; rank++) {
      assertEquals(className(blocks.get(0).get(rank)), className(blocks.get(1).get(rank)));
      assertEquals(probability(blocks.get(0).get(rank)), probability(blocks.get(1).get(rank)), 2e-3);
    }
  }

  @Test
  void predictsTheFirstImagesOfAnIdxFile() {
    Result r = cli("predict", "--params", params.toString(), "--limit", "4", "--top", "2", TEST_IMAGES.toString());
    assertEquals(0, r.status(), r.err());
    List<List<String>> blocks = blocks(r.out());
    assertEquals(4, blocks.size(), r.out());
    for (int i = 0; i < 4; i++) {
      assertEquals(TEST_IMAGES + " #" + i, blocks.get(i).get(0));
      assertEquals(3, blocks.get(i).size());
      assertTrue(FashionMnist.classNames().contains(className(blocks.get(i).get(1))), r.out());
    }
  }

  @Test
  void anotherModelsCheckpointIsNamedPathByPath() throws Exception {
    Path cnn = dir.resolve("w1.safetensors");
    try (InputStream in = CliTest.class.getResourceAsStream("/parity/ckpt/w1_params.safetensors")) {
      Files.copy(in, cnn);
    }
    Result r = cli("predict", "--model", "mlp", "--params", cnn.toString(), TEST_IMAGES.toString());
    assertEquals(1, r.status());
    String[] lines = r.err().split("\n");
    assertEquals("kiln: " + cnn + " holds parameters of another model than --model mlp; pass the --model it was"
        + " trained with", lines[0]);
    assertTrue(lines[1].startsWith("parameters do not match model FashionMlp"), r.err());
    for (String path : new String[] {"hidden/kernel", "logits/bias", "conv1/kernel", "dense/kernel"}) {
      assertTrue(r.err().contains(path), r.err());
    }
    assertEquals("", r.out());
  }

  @Test
  void missingAndUnreadableFilesAndUnknownModelsAreOneLineErrors() throws Exception {
    Path missing = dir.resolve("nope.png");
    assertEquals(new Result(1, "", "kiln: no such file: " + missing + "\n"),
        cli("predict", "--params", params.toString(), missing.toString()));
    Path noParams = dir.resolve("nope.safetensors");
    assertEquals(new Result(1, "", "kiln: no such file: " + noParams + "\n"),
        cli("predict", "--params", noParams.toString(), TEST_IMAGES.toString()));

    Path text = Files.writeString(dir.resolve("notes.txt"), "not an image");
    Result r = cli("predict", "--params", params.toString(), text.toString());
    assertEquals(1, r.status());
    assertTrue(r.err().startsWith("kiln: " + text + " is neither an image ImageIO reads (PNG, JPEG, BMP, GIF) nor an"
        + " IDX images file (" + text + ": bad IDX magic number"), r.err());

    r = cli("predict", "--model", "resnet", "--params", params.toString(), TEST_IMAGES.toString());
    assertEquals(new Result(2, "", "kiln: unknown model 'resnet': expected mlp, cnn, lenet, lstm, vae, conv-vae, gan, dcgan, word-gan or word-lstm\nrun 'kiln help' for usage\n"),
        r);
    r = cli("predict", "--params", params.toString());
    assertEquals(2, r.status());
    assertTrue(r.err().startsWith("kiln: predict needs at least one image or IDX file to classify"), r.err());
  }

  @Test
  void helpShowsEveryCommand() {
    Result r = cli("help");
    assertEquals(0, r.status());
    for (String command : new String[] {"train", "summary", "predict"}) {
      assertTrue(r.out().contains("\n  " + command + " "), r.out());
    }
    assertTrue(r.out().contains("light garment on a dark background"), r.out());
  }

  @Test
  void trainWritesTheTestSetConfusionMatrixNextToTheLossCurve() throws Exception {
    Path out = dir.resolve("run");
    Result r = cli("train", "--model", "mlp", "--epochs", "1", "--batch-size", "100", "--data", SLICE.toString(),
        "--out", out.toString());
    assertEquals(0, r.status(), r.err());
    Path confusion = out.resolve("confusion.png");
    assertTrue(r.out().contains("confusion matrix: " + confusion), r.out());
    BufferedImage image = ImageIO.read(confusion.toFile());
    assertNotNull(image);
    assertTrue(Files.exists(out.resolve("loss.png")));
  }

  /** train writes a checkpoint; train --resume takes the run up from it instead of starting again. */
  @Test
  void trainResumeContinuesFromTheCheckpoint() throws Exception {
    Path out = dir.resolve("resumed");
    String[] common = {"--model", "mlp", "--batch-size", "100", "--data", SLICE.toString(), "--out", out.toString()};
    Result first = cli(concat(new String[] {"train", "--epochs", "1"}, common));
    assertEquals(0, first.status(), first.err());
    Path checkpoint = out.resolve("checkpoint.kiln");
    assertEquals(1, Checkpoint.load(checkpoint).position().epochsDone());

    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
    Result second;
    try {
      second = cli(concat(new String[] {"train", "--epochs", "2", "--resume"}, common));
    } finally {
      System.setErr(saved);
    }
    assertEquals(0, second.status(), second.err());
    String log = progress.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("resuming FashionMlp from " + checkpoint + ": 1 epochs and 0 batches done"), log);
    assertFalse(log.contains("epoch 1/2"), "the first epoch is not trained again: " + log);
    assertEquals(2, Checkpoint.load(checkpoint).position().epochsDone());

    Result refused = cli("train", "--model", "lstm", "--resume");
    assertEquals(2, refused.status());
    assertTrue(refused.err().contains("--resume works with --model mlp, cnn or lenet"), refused.err());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
