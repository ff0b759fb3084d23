package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an annotation as a layer kind. The processor applies the layer annotations of a record
 * component in the order they are written, so {@code @Flatten @Dense(features = 10)} flattens and
 * then applies the dense layer. At most one layer annotation of a component may own parameters.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.ANNOTATION_TYPE)
public @interface Layer {}
