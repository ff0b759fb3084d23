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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the shape checker over random chains of convolutions and pools followed by
 * {@code @Flatten @Dense}: on an NHWC input, every spatial size it infers equals the direct formula
 * (SAME: {@code ceil(n / s)}; VALID: {@code ceil((n - span + 1) / s)} with {@code span = (k - 1) d + 1}),
 * a chain it accepts never has a non-positive size, a chain the formula empties is rejected with a
 * problem on the component that empties it, channels follow the features, Flatten multiplies and
 * Dense sets the last axis.
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

  @Provide
  Arbitrary<Chain> chains() {
    Arbitrary<Windowed> windowed = Combinators.combine(
        Arbitraries.of("Conv", "MaxPool", "AvgPool"), Arbitraries.integers().between(1, 16),
        Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 5),
        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 2), Arbitraries.of(true, false))
        .as((kind, features, kh, kw, stride, dilation, same) -> kind.equals("Conv")
            ? new Windowed(kind, features, kh, kw, stride, dilation, same)
            : new Windowed(kind, 0, kh, kw, stride, 1, same));
    return Combinators.combine(Arbitraries.integers().between(1, 40), Arbitraries.integers().between(1, 40),
        Arbitraries.integers().between(1, 4), windowed.list().ofMinSize(1).ofMaxSize(5),
        Arbitraries.integers().between(1, 32))
        .as(Chain::new);
  }

  @Property(tries = 300)
  void acceptedChainsMatchTheFormulaAndRejectedOnesNameTheComponent(@ForAll("chains") Chain chain) {
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

  @Property(tries = 300)
  void anAcceptedChainNeverHasANonPositiveSize(@ForAll("chains") Chain chain) {
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

  @Property(tries = 200)
  void denseFeaturesPropagateThroughAChainOfDenseLayers(
      @ForAll("featureLists") List<Integer> features, @ForAll("sizes") int inputSize) {
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

  @Provide
  Arbitrary<List<Integer>> featureLists() {
    return Arbitraries.integers().between(1, 512).list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<Integer> sizes() {
    return Arbitraries.integers().between(1, 4096);
  }
}
