package dev.kiln.processor.layers;

import dev.kiln.processor.model.Shape;

/**
 * A layer rule's verdict on an input shape: the output shape and a phrase saying how it came
 * about ({@code "Dense(10) acts on the last axis: (B,28,28,32) -> (B,28,28,10)"}), or an error.
 *
 * @param attribute the annotation attribute an error is about, or null
 * @param aboutInput whether the error depends on the input shape, so a message retraces how it came about
 */
public record Inference(Shape output, String explanation, String error, String attribute, boolean aboutInput) {
  public static Inference ok(Shape output, String explanation) {
    return new Inference(output, explanation, null, null, false);
  }

  /** An error in an attribute on its own, or (without an attribute) in the input shape. */
  public static Inference error(String attribute, String message) {
    return new Inference(null, null, message, attribute, attribute == null);
  }

  /** An attribute that does not fit this input shape. */
  public static Inference mismatch(String attribute, String message) {
    return new Inference(null, null, message, attribute, true);
  }

  public boolean failed() {
    return error != null;
  }
}
