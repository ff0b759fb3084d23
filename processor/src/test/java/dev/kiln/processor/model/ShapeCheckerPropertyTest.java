package dev.kiln.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.processor.layers.LayerRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Properties of the shape checker over random chains of convolutions and pools followed by
 * {@code @Flatten @Dense}: on an NHWC input, every spatial size it infers equals the direct formula
 * (SAME: {@code ceil(n / s)}; VALID: {@code ceil((n - span + 1) / s)} with {@code span = (k - 1) d + 1}),
 * a chain it accepts never has a non-positive size, a chain the formula empties is rejected with a
 * problem on the component that empties it, channels follow the features, Flatten multiplies and
 * Dense sets the last axis.
 *
 * <p>Each property runs on a few hundred random cases drawn from a fixed seed, one dynamic test per
 * case named after it, so a failure is reproducible and shows the chain that broke it.
 */
class ShapeCheckerPropertyTest {
  private static final ShapeChecker CHECKER = new ShapeChecker(LayerRules.standard());
  private static final String ANNOTATIONS = "dev.kiln.annotations.";

  /** One windowed layer: a convolution (features > 0) or a max or average pool (features 0). */
  record Windowed(String kind, int features, int kernelH, int kernelW, int stride, int dilation, boolean same) {
    LayerSpec spec() {
      String padding = same ? "SAME" : "VALID";
      Map<String, Object> attributes = kind.equals("Conv")
          ? Map.of("features", features, "kernel", List.of(kernelH, kernelW), "strides", List.of(stride, stride),
              "padding", padding, "dilation", List.of(dilation, dilation), "useBias", true, "activation", "NONE")
          : kind.equals("MaxPool")
              ? Map.of("window", List.of(kernelH, kernelW), "strides", List.of(stride, stride), "padding", padding)
              : Map.of("window", List.of(kernelH, kernelW), "strides", List.of(stride, stride), "padding", padding,
                  "countIncludePad", true);
      return new LayerSpec(ANNOTATIONS + kind, attributes, 0);
    }

    /** The output size along one axis by the direct formula; zero or less means nothing is left. */
    long size(long n, int kernel) {
      if (same) {
        return ceil(n, stride);
      }
      long span = (kernel - 1L) * dilation + 1;
      return n - span + 1 <= 0 ? 0 : ceil(n - span + 1, stride);
    }
  }

  /** {@code ceil(a / b)} for positive numbers, as a real division rounded up. */
  static long ceil(long a, long b) {
    return (long) Math.ceil((double) a / b);
  }

  record Chain(int height, int width, int channels, List<Windowed> layers, int denseFeatures) {
    ModelSpec spec() {
      List<ComponentSpec> components = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        Windowed w = layers.get(i);
        components.add(new ComponentSpec("layer" + i, List.of(w.spec()),
            w.kind().equals("Conv") ? "ConvParams" : "NoParams", null, null, false));
      }
      components.add(new ComponentSpec("head", List.of(new LayerSpec(ANNOTATIONS + "Flatten", Map.of(), 0),
          new LayerSpec(ANNOTATIONS + "Dense", Map.of("features", denseFeatures, "useBias", true,
              "activation", "NONE"), 1)), "DenseParams", null, null, false));
      return new ModelSpec("test", "Chain", List.of(Dim.of(height), Dim.of(width), Dim.of(channels)), List.of(),
          components);
    }
  }

  /** A random chain of one to five windowed layers on an input of up to 40x40x4, and a dense head. */
  static Chain chain(Random random) {
    List<Windowed> layers = new ArrayList<>();
    for (int i = 0, n = between(random, 1, 5); i < n; i++) {
      String kind = List.of("Conv", "MaxPool", "AvgPool").get(random.nextInt(3));
      int kh = between(random, 1, 5);
      int kw = between(random, 1, 5);
      int stride = between(random, 1, 3);
      boolean same = random.nextBoolean();
      layers.add(kind.equals("Conv")
          ? new Windowed(kind, between(random, 1, 16), kh, kw, stride, between(random, 1, 2), same)
          : new Windowed(kind, 0, kh, kw, stride, 1, same));
    }
    return new Chain(between(random, 1, 40), between(random, 1, 40), between(random, 1, 4), layers,
        between(random, 1, 32));
  }

  /** A random number in {@code [low, high]}. */
  static int between(Random random, int low, int high) {
    return low + random.nextInt(high - low + 1);
  }

  /** {@code tries} cases drawn by {@code draw} from one seed, each checked by {@code property}. */
  static <T> Stream<DynamicTest> cases(long seed, int tries, Function<Random, T> draw, Consumer<T> property) {
    Random random = new Random(seed);
    return IntStream.range(0, tries).mapToObj(i -> {
      T example = draw.apply(random);
      return DynamicTest.dynamicTest("case " + i + ": " + example, () -> property.accept(example));
    });
  }

  @TestFactory
  Stream<DynamicTest> acceptedChainsMatchTheFormulaAndRejectedOnesNameTheComponent() {
    return cases(1, 300, ShapeCheckerPropertyTest::chain, this::matchesTheFormula);
  }

  @TestFactory
  Stream<DynamicTest> anAcceptedChainNeverHasANonPositiveSize() {
    return cases(2, 300, ShapeCheckerPropertyTest::chain, this::neverEmpty);
  }

  /** Dense feature counts (up to six layers of 1 to 512) on an input of 1 to 4096. */
  record Mlp(List<Integer> features, int inputSize) {}

  @TestFactory
  Stream<DynamicTest> denseFeaturesPropagateThroughAChainOfDenseLayers() {
    return cases(3, 200, random -> new Mlp(IntStream.range(0, between(random, 1, 6))
        .mapToObj(i -> between(random, 1, 512)).toList(), between(random, 1, 4096)), this::propagates);
  }

  private void matchesTheFormula(Chain chain) {
    ShapeChecker.Result result = CHECKER.check(chain.spec());
    List<List<Dim>> expected = new ArrayList<>();
    long h = chain.height();
    long w = chain.width();
    long c = chain.channels();
    for (int i = 0; i < chain.layers().size(); i++) {
      Windowed layer = chain.layers().get(i);
      h = layer.size(h, layer.kernelH());
      w = layer.size(w, layer.kernelW());
      c = layer.kind().equals("Conv") ? layer.features() : c;
      if (h <= 0 || w <= 0) {
        assertFalse(result.ok(), "the formula leaves nothing after layer" + i + ", yet the checker accepts");
        assertNull(result.network());
        Problem problem = result.problems().get(0);
        assertEquals("layer" + i, problem.component(), problem.message());
        assertTrue(problem.message().startsWith("layer" + i + ": "), problem.message());
        return;
      }
      expected.add(List.of(Dim.BATCH, Dim.of(h), Dim.of(w), Dim.of(c)));
    }
    assertTrue(result.ok(), () -> "rejected a valid chain: " + result.problems());
    List<Step> steps = result.network().steps();
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i), steps.get(i).output().shape().dims(), "layer" + i);
    }
    assertEquals(Shape.batched(h * w * c), steps.get(steps.size() - 2).output().shape(), "Flatten multiplies");
    assertEquals(Shape.batched(chain.denseFeatures()), steps.get(steps.size() - 1).output().shape(),
        "Dense sets the last axis");
  }

  private void neverEmpty(Chain chain) {
    ShapeChecker.Result result = CHECKER.check(chain.spec());
    if (!result.ok()) {
      assertFalse(result.problems().isEmpty());
      for (Problem p : result.problems()) {
        assertNotNull(p.component(), p.message());
        assertFalse(p.message().isBlank());
      }
      return;
    }
    for (Step step : result.network().steps()) {
      for (Dim d : step.output().shape().perExample()) {
        assertTrue(d.isKnown() && d.size() > 0, step.component().name() + " gives " + step.output().shape());
      }
    }
  }

  private void propagates(Mlp mlp) {
    List<Integer> features = mlp.features();
    int inputSize = mlp.inputSize();
    List<ComponentSpec> components = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      components.add(new ComponentSpec("dense" + i, List.of(new LayerSpec(ANNOTATIONS + "Dense",
          Map.of("features", features.get(i), "useBias", i % 2 == 0, "activation", "RELU"), 0)),
          "DenseParams", null, null, false));
    }
    ShapeChecker.Result result = CHECKER.check(new ModelSpec("test", "Mlp", List.of(Dim.of(inputSize)), List.of(),
        components));
    assertTrue(result.ok(), () -> result.problems().toString());
    for (int i = 0; i < features.size(); i++) {
      assertEquals(Shape.batched(features.get(i)), result.network().steps().get(i).output().shape());
    }
    assertEquals(Shape.batched(features.get(features.size() - 1)), result.network().outputs().get(0).shape());
  }
}
