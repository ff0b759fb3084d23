package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Feeds a component from an earlier component (by name) or from the model input ({@code
 * "input"}) instead of from the component just before it; this is how a model branches, e.g. a
 * mean head and a log-std head over the same hidden layer.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface From {
  /** An earlier component's name, or {@code "input"} for the model's input. */
  String value();
}
