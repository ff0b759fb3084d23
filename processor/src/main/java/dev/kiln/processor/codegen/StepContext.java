package dev.kiln.processor.codegen;

import com.palantir.javapoet.CodeBlock;
import dev.kiln.processor.layers.Emitter;
import dev.kiln.processor.model.Shape;
import dev.kiln.processor.model.Step;

/** Expressions for one step's input, output and parameters, shared by the forward and backward writers. */
abstract class StepContext implements Emitter.Step {
  final Step step;
  final Buffers buffers;
  private final CodeBlock.Builder code;

  StepContext(Step step, Buffers buffers, CodeBlock.Builder code) {
    this.step = step;
    this.buffers = buffers;
    this.code = code;
  }

  @Override
  public CodeBlock shared(String name, Shape shape) {
    buffers.own(name, shape);
    return CodeBlock.of("t.$L", name);
  }

  @Override
  public CodeBlock computedBuffer(String suffix, CodeBlock shape) {
    String name = step.output().name() + suffix;
    buffers.ownComputed(name, shape);
    return CodeBlock.of("t.$L", name);
  }

  @Override
  public CodeBlock dims(Shape shape) {
    return Names.dims(shape, "");
  }

  @Override
  public CodeBlock sharedOrNull(String name) {
    return buffers.shapeOf(name) == null ? CodeBlock.of("null") : CodeBlock.of("t.$L", name);
  }

  @Override
  public CodeBlock input() {
    return Names.value(step.input());
  }

  @Override
  public Shape inputShape() {
    return step.input().shape();
  }

  @Override
  public Shape outputShape() {
    return step.output().shape();
  }

  @Override
  public CodeBlock output() {
    return Names.value(step.output());
  }

  @Override
  public CodeBlock param(String slot) {
    return CodeBlock.of("p.$L().$L()", step.component().name(), slot);
  }

  @Override
  public CodeBlock params() {
    return CodeBlock.of("p.$L()", step.component().name());
  }

  @Override
  public void add(String format, Object... args) {
    code.addStatement(format, args);
  }
}
