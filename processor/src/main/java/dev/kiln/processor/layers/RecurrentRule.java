package dev.kiln.processor.layers;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.LayerSpec;
import dev.kiln.processor.model.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * What the recurrent layers share: the shape rule over {@code (B, T, E)}, Flax's cell parameters
 * (input kernels lecun normal, recurrent kernels orthogonal, biases zeros, under {@code cell/}), the
 * sequence lengths an embedding before them recorded, and the bidirectional form (Flax's {@code
 * nn.Bidirectional}: parameters under {@code forward_rnn/cell/} and {@code backward_rnn/cell/}, two
 * directions side by side in every buffer, outputs concatenated).
 */
abstract class RecurrentRule implements LayerRule {
  /** {@code Lstm} or {@code Gru}. */
  abstract String cell();

  /** The runtime ops and parameter record, e.g. {@code LstmOps} and {@code LstmParams}. */
  abstract ClassName ops(boolean bidirectional);

  abstract ClassName params(boolean bidirectional);

  /** The cell's parameters in Flax's creation order. */
  abstract List<ParamSlot> cellSlots(Cell cell, Shape input, int h);

  /** The per-step buffer besides the gates that backward needs ({@code Cells} or {@code HnPre}, width H). */
  abstract String stateBuffer();

  /** The width of backward's running carry cotangent: 2H for (c, h), H for h. */
  abstract int carryWidth(int h);

  /** Arguments the one-direction ops take between the lengths and the buffers (an initial carry), or none. */
  abstract String initialCarry();

  @Override
  public ClassName paramsType(LayerSpec layer) {
    return params(bidirectional(layer));
  }

  @Override
  public List<ParamSlot> params(LayerSpec layer, Shape input) {
    int h = layer.intValue("features");
    if (!bidirectional(layer)) {
      return cellSlots(Cell.PLAIN, input, h);
    }
    List<ParamSlot> both = new ArrayList<>(cellSlots(new Cell("forward", "forward_rnn/cell"), input, h));
    both.addAll(cellSlots(new Cell("backward", "backward_rnn/cell"), input, h));
    return both;
  }

  @Override
  public void forward(LayerSpec layer, Emitter.Forward e) {
    int h = layer.intValue("features");
    CodeBlock lengths = e.sharedOrNull(EmbedRule.LENGTHS);
    if (!bidirectional(layer)) {
      e.add("$T.forward($L, $L, $L, $L$L, $L, $L, $L)", ops(false), e.input(), e.params(), lengths, initialCarry(),
          e.scratch("Gates", perStep(e, (long) gates() * h)), e.scratch(stateBuffer(), perStep(e, h)),
          e.scratch("Hiddens", perStep(e, h)), e.output());
      return;
    }
    e.add("$T.forward($L, $L, $L, $L, $L, $L, $L, $L, $L)", ops(true), e.input(), e.params(), lengths,
        e.scratch("Reversed", e.inputShape()), e.scratch("Gates", twice(perStep(e, (long) gates() * h))),
        e.scratch(stateBuffer(), twice(perStep(e, h))), e.scratch("Hiddens", twice(perStep(e, h))),
        e.scratch("Halves", twice(sequence(layer) ? perStep(e, h) : perRow(h))), e.output());
  }

  @Override
  public void backward(LayerSpec layer, Emitter.Backward e) {
    int h = layer.intValue("features");
    CodeBlock lengths = e.sharedOrNull(EmbedRule.LENGTHS);
    CodeBlock work = e.buffer("Work", perRow((long) gates() * h));
    CodeBlock carry = e.buffer("Carry", perRow(carryWidth(h)));
    if (!bidirectional(layer)) {
      String dCarry = initialCarry().isEmpty() ? "" : ", null";
      e.add("$T.backward($L, $L, $L, $L$L, $L, $L, $L, $L, $L, $L$L, $L)", ops(false), e.input(), e.params(), lengths,
          initialCarry(), e.scratch("Gates"), e.scratch(stateBuffer()), e.scratch("Hiddens"), work, carry,
          e.gradOutput(), e.gradInput(), dCarry, e.gradParams());
      return;
    }
    e.add("$T.backward($L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L, $L)", ops(true), e.input(), e.params(),
        lengths, e.scratch("Reversed"), e.scratch("Gates"), e.scratch(stateBuffer()), e.scratch("Hiddens"),
        e.scratch("Halves"), work, carry, e.gradOutput(), e.scratchGrad("Halves"), e.buffer("DReversed", e.inputShape()),
        e.gradInput(), e.gradParams());
  }

  static boolean bidirectional(LayerSpec layer) {
    return layer.boolValue("bidirectional");
  }

  /** {@code [2, ...]}: one slot per direction. */
  private static Shape twice(Shape shape) {
    List<Dim> dims = new ArrayList<>();
    dims.add(Dim.of(2));
    dims.addAll(shape.dims());
    return new Shape(dims);
  }

  @Override
  public Inference infer(LayerSpec layer, Shape input) {
    int features = layer.intValue("features");
    if (features <= 0) {
      return Inference.error("features", "@" + cell() + " needs a positive number of features, found " + features);
    }
    if (input.rank() != 3 || !input.last().isKnown()) {
      return Inference.error(null, "@" + cell() + " needs a sequence (B,T,E) with a known E, found " + input
          + (input.rank() == 2 ? "; a recurrent layer before it gives every step only with returnSequence = true" : ""));
    }
    Dim h = Dim.of(outputFeatures(layer));
    Shape output = sequence(layer) ? new Shape(List.of(Dim.BATCH, input.dim(1), h)) : new Shape(List.of(Dim.BATCH, h));
    return Inference.ok(output, describe(layer) + ": " + input + " -> " + output);
  }

  @Override
  public String describe(LayerSpec layer) {
    return cell() + "(" + layer.intValue("features") + (sequence(layer) ? ", every step" : ", last state")
        + (bidirectional(layer) ? ", bidirectional" : "") + ")";
  }

  @Override
  public long flopsPerExample(LayerSpec layer, Shape input, Shape output) {
    long h = layer.intValue("features");
    long t = input.dim(1).isKnown() ? input.dim(1).size() : 0;
    return (bidirectional(layer) ? 2 : 1) * 2 * t * gates() * h * (input.last().size() + h);
  }

  /** The number of gates: their pre-activations are computed together. */
  abstract int gates();

  /** The size of the output's last axis: both directions side by side when bidirectional. */
  private static int outputFeatures(LayerSpec layer) {
    return (bidirectional(layer) ? 2 : 1) * layer.intValue("features");
  }

  static boolean sequence(LayerSpec layer) {
    return layer.boolValue("returnSequence");
  }

  /**
   * Where a cell's parameters live: the record components' name prefix and the Flax module path,
   * {@code ("", "cell")} for a plain RNN, {@code ("forward", "forward_rnn/cell")} inside a Bidirectional.
   */
  record Cell(String prefix, String module) {
    static final Cell PLAIN = new Cell("", "cell");

    private String name(String gate, String kind) {
      return prefix.isEmpty() ? gate + kind : prefix + Character.toUpperCase(gate.charAt(0)) + gate.substring(1) + kind;
    }

    /** An input kernel {@code <module>/<gate>/kernel} [E, H]. */
    ParamSlot inputKernel(String gate, Shape input, int h) {
      return ParamSlot.nested(name(gate, "Kernel"), module + "/" + gate + "/kernel", List.of(input.last(), Dim.of(h)),
          CodeBlock.of("$T.lecunNormal()", Runtime.INITIALIZERS));
    }

    /** A recurrent kernel {@code <module>/<gate>/kernel} [H, H]. */
    ParamSlot recurrentKernel(String gate, int h) {
      return ParamSlot.nested(name(gate, "Kernel"), module + "/" + gate + "/kernel", List.of(Dim.of(h), Dim.of(h)),
          CodeBlock.of("$T.orthogonal()", Runtime.INITIALIZERS));
    }

    /** A bias {@code <module>/<gate>/bias} [H]. */
    ParamSlot bias(String gate, int h) {
      return ParamSlot.nested(name(gate, "Bias"), module + "/" + gate + "/bias", List.of(Dim.of(h)),
          CodeBlock.of("$T.zeros()", Runtime.INITIALIZERS));
    }
  }

  /** A {@code [B, T, n]} scratch buffer over the input's time axis. */
  static Shape perStep(Emitter.Step e, long n) {
    return new Shape(List.of(Dim.BATCH, e.inputShape().dim(1), Dim.of(n)));
  }

  static Shape perRow(long n) {
    return new Shape(List.of(Dim.BATCH, Dim.of(n)));
  }
}
