package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a component's result a named output of the model (named after the component). A model
 * without {@code @Output} has one output: its last component. With several, {@code forward}
 * returns a record of them and {@code backward} takes one cotangent per output.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Output {}
