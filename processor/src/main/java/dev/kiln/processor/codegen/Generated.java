package dev.kiln.processor.codegen;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;

/** The {@code @Generated} marker every generated type carries, added in one place. */
final class Generated {
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

  private Generated() {}

  static AnnotationSpec annotation(String generator) {
    return AnnotationSpec.builder(GENERATED).addMember("value", "$S", generator).build();
  }
}
