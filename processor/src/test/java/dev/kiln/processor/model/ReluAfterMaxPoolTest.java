package dev.kiln.processor.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.processor.layers.LayerRules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReluAfterMaxPoolTest {
  private static final String ANNOTATIONS = "dev.kiln.annotations.";
  private static final ShapeChecker CHECKER = new ShapeChecker(LayerRules.standard());

  @Test
  void aReluConvolutionPoolsFirst() {
    Network net = check(conv("RELU"), pool("MaxPool"));
    assertEquals(List.of("Conv(4, 3x3 SAME)", "MaxPool(2x2 stride 2 VALID)", "relu", "Flatten", "Dense(2)"),
        descriptions(net));
    Step relu = net.steps().get(2);
    assertEquals("blockPooled", relu.input().name());
    assertEquals("block", relu.output().name(), "the component's output is still the last step's");
    assertEquals(List.of(Dim.BATCH, Dim.of(4), Dim.of(4), Dim.of(4)), relu.input().shape().dims());
    assertSame(net.steps().get(1).output(), relu.input());
    assertEquals(4 * 4 * 4, relu.flopsPerExample(), "the activation runs on the pooled tensor");
  }

  @Test
  void otherActivationsAndPoolsKeepTheirOrder() {
    assertEquals(List.of("Conv(4, 3x3 SAME, tanh)", "MaxPool(2x2 stride 2 VALID)", "Flatten", "Dense(2)"),
        descriptions(check(conv("TANH"), pool("MaxPool"))));
    assertEquals(List.of("Conv(4, 3x3 SAME, relu)", "AvgPool(2x2 stride 2 VALID)", "Flatten", "Dense(2)"),
        descriptions(check(conv("RELU"), pool("AvgPool"))));
  }

  private static Network check(LayerSpec affine, LayerSpec pool) {
    ModelSpec spec = new ModelSpec("test", "Net", List.of(Dim.of(8), Dim.of(8), Dim.of(1)), List.of(), List.of(
        new ComponentSpec("block", List.of(affine, pool), "ConvParams", null, null, false),
        new ComponentSpec("head", List.of(new LayerSpec(ANNOTATIONS + "Flatten", Map.of(), 0),
            new LayerSpec(ANNOTATIONS + "Dense", Map.of("features", 2, "useBias", true, "activation", "NONE"), 1)),
            "DenseParams", null, null, false)));
    ShapeChecker.Result result = CHECKER.check(spec);
    assertTrue(result.ok(), () -> result.problems().toString());
    return result.network();
  }

  private static LayerSpec conv(String activation) {
    return new LayerSpec(ANNOTATIONS + "Conv", Map.of("features", 4, "kernel", List.of(3, 3), "strides", List.of(1, 1),
        "padding", "SAME", "dilation", List.of(1, 1), "useBias", true, "activation", activation), 0);
  }

  private static LayerSpec pool(String kind) {
    Map<String, Object> attributes = Map.of("window", List.of(2, 2), "strides", List.of(2, 2), "padding", "VALID");
    if (kind.equals("AvgPool")) {
      attributes = Map.of("window", List.of(2, 2), "strides", List.of(2, 2), "padding", "VALID", "countIncludePad", true);
    }
    return new LayerSpec(ANNOTATIONS + kind, attributes, 1);
  }

  private static List<String> descriptions(Network net) {
    return net.steps().stream().map(Step::description).toList();
  }
}
