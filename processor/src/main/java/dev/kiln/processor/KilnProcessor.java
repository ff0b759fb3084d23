package dev.kiln.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import dev.kiln.processor.codegen.ModelWriter;
import dev.kiln.processor.codegen.TrainerWriter;
import dev.kiln.processor.javac.ModelReader;
import dev.kiln.processor.layers.LayerRules;
import dev.kiln.processor.model.Network;
import dev.kiln.processor.model.Problem;
import dev.kiln.processor.model.ShapeChecker;
import java.io.IOException;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Kiln's annotation processor: for each {@code @Model} record it infers every shape, reports each
 * mismatch as a compiler error on the component that causes it, and otherwise writes {@code
 * XxxModel} and {@code XxxTrainer} next to the record.
 */
@AutoService(Processor.class)
@SupportedAnnotationTypes("dev.kiln.annotations.Model")
public final class KilnProcessor extends AbstractProcessor {
  private static final String NAME = KilnProcessor.class.getName();

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (annotations.isEmpty()) {
      return false;
    }
    ModelReader reader = new ModelReader(processingEnv.getElementUtils());
    ShapeChecker checker = new ShapeChecker(LayerRules.load(KilnProcessor.class.getClassLoader()));
    for (TypeElement annotation : annotations) {
      for (Element element : round.getElementsAnnotatedWith(annotation)) {
        process((TypeElement) element, reader, checker);
      }
    }
    return true;
  }

  private void process(TypeElement type, ModelReader reader, ShapeChecker checker) {
    ModelReader.Read read = reader.read(type);
    if (!read.problems().isEmpty() || read.spec() == null) {
      read.problems().forEach(p -> read.sources().report(processingEnv.getMessager(), p));
      return;
    }
    ShapeChecker.Result result = checker.check(read.spec());
    if (!result.ok()) {
      for (Problem p : result.problems()) {
        read.sources().report(processingEnv.getMessager(), p);
      }
      return;
    }
    Network network = result.network();
    write(new ModelWriter(network).write(NAME), type);
    if (network.hasSingleOutput()) {
      write(new TrainerWriter(network).write(NAME), type);
    }
  }

  private void write(JavaFile file, TypeElement origin) {
    try {
      file.writeTo(processingEnv.getFiler());
    } catch (IOException e) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          "[kiln] cannot write " + file.packageName() + "." + file.typeSpec().name() + ": " + e.getMessage(), origin);
    }
  }
}
