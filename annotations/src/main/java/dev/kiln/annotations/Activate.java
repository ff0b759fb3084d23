package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** An activation on its own, e.g. after a sub-model; shape-preserving, no parameters. */
@Documented
@Layer
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Activate {
  /** The activation; {@code NONE} is a compile error. */
  Activation value();
}
