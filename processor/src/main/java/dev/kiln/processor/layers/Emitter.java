package dev.kiln.processor.layers;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.model.Shape;

/**
 * What a {@link LayerRule} sees while it writes code: expressions for its input, output,
 * parameters and cotangents, and a way to add statements. The writer decides where buffers live.
 */
public final class Emitter {
  private Emitter() {}

  /** What both passes see of the step being written. */
  public interface Step {
    CodeBlock input();

    Shape inputShape();

    CodeBlock output();

    Shape outputShape();

    /** The parameter array of a slot, e.g. {@code p.hidden().kernel()}. */
    CodeBlock param(String slot);

    /** The component's whole parameter record, e.g. {@code p.norm()}. */
    CodeBlock params();

    /**
     * A tape buffer that later layers may read by name, such as the sequence lengths an embedding
     * finds in its token ids; registered by the layer that fills it.
     */
    CodeBlock shared(String name, Shape shape);

    /** The shared buffer of this name filled by an earlier layer, or the literal {@code null}. */
    CodeBlock sharedOrNull(String name);

    /**
     * A work buffer named after the output plus {@code suffix}, whose shape the runtime computes:
     * {@code shape} is a {@code long[]} expression that may use {@link #dims(Shape)}.
     */
    CodeBlock computedBuffer(String suffix, CodeBlock shape);

    /** A shape's sizes as Java expressions in the tape ({@code batch, 28, 28, 1}). */
    CodeBlock dims(Shape shape);

    void add(String format, Object... args);
  }

  /** The context of a forward emission; {@link #output()} is the buffer the layer writes. */
  public interface Forward extends Step {
    /** A further buffer kept for backward (a pre-activation), named after the output plus {@code suffix}. */
    CodeBlock scratch(String suffix, Shape shape);

    /**
     * The key Flax's {@code make_rng(stream)} gives a module named after this component, from the
     * tape's root key of that stream ({@code "dropout"}, or {@code "noise"}, which may be absent: null).
     */
    CodeBlock rngKey(String stream);
  }

  /** The context of a backward emission. */
  public interface Backward extends Step {
    /** The cotangent of the output. */
    CodeBlock gradOutput();

    /** Where the input cotangent goes, or the literal {@code null} when no one needs it. */
    CodeBlock gradInput();

    /** Whether {@link #gradInput()} may be null at run time (no one needs the input's cotangent). */
    boolean gradInputOptional();

    /** The gradient array of a parameter slot. */
    CodeBlock gradParam(String slot);

    /** The component's whole gradient record, e.g. {@code g.norm()}. */
    CodeBlock gradParams();

    /** The forward scratch buffer of this name. */
    CodeBlock scratch(String suffix);

    /** A cotangent buffer shaped like the forward scratch buffer of this name. */
    CodeBlock scratchGrad(String suffix);

    /** A work buffer of backward's own (the same array as a forward scratch buffer of this name). */
    CodeBlock buffer(String suffix, Shape shape);
  }
}
