package dev.kiln.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import dev.kiln.processor.codegen.ModelWriter;
import dev.kiln.processor.codegen.SummaryTable;
import dev.kiln.processor.codegen.TrainerWriter;
import dev.kiln.processor.javac.ModelReader;
import dev.kiln.processor.layers.LayerRules;
import dev.kiln.processor.model.Network;
import dev.kiln.processor.model.Problem;
import dev.kiln.processor.model.ShapeChecker;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Kiln's annotation processor: for each {@code @Model} record it infers every shape, reports each
 * mismatch as a compiler error on the component that causes it, and otherwise writes {@code
 * XxxModel} and {@code XxxTrainer} next to the record, and lists the model class in {@code
 * META-INF/kiln/models/} for build tools. Every file written has the record as its one originating
 * element, so Gradle can run the processor incrementally (it is declared isolating).
 *
 * <p>Options: {@code -Akiln.summary} prints each model's summary table as a note, {@code
 * -Akiln.verbose} names the classes written for each model.
 */
@AutoService(Processor.class)
@SupportedAnnotationTypes("dev.kiln.annotations.Model")
public final class KilnProcessor extends AbstractProcessor {
  /**
   * Where the processor lists the models it compiled: one file per model class, named
   * after the generated class ({@code META-INF/kiln/models/com.example.MlpModel}) and holding that
   * name, so each file has a single originating record.
   */
  public static final String MODEL_INDEX = "META-INF/kiln/models/";

  private static final String NAME = KilnProcessor.class.getName();

  private Options options;

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Options.NAMES;
  }

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    List<String> problems = new ArrayList<>();
    options = Options.parse(env.getOptions(), problems);
    problems.forEach(p -> env.getMessager().printMessage(Diagnostic.Kind.ERROR, "[kiln] " + p));
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
      read.problems().forEach(p -> read.sources().report(processingEnv, p));
      return;
    }
    ShapeChecker.Result result = checker.check(read.spec());
    if (!result.ok()) {
      for (Problem p : result.problems()) {
        read.sources().report(processingEnv, p);
      }
      return;
    }
    Network network = result.network();
    List<String> written = new ArrayList<>();
    JavaFile model = new ModelWriter(network).write(NAME);
    write(model, type, written);
    if (network.hasSingleOutput()) {
      write(new TrainerWriter(network).write(NAME), type, written);
    }
    index(qualifiedName(model), type);
    if (options.summary()) {
      note("[kiln] " + read.spec().name() + ":\n" + SummaryTable.render(network), type);
    }
    if (options.verbose()) {
      note("[kiln] " + read.spec().name() + ": wrote " + String.join(", ", written), type);
    }
  }

  private void write(JavaFile file, TypeElement origin, List<String> written) {
    String name = qualifiedName(file);
    try (Writer out = processingEnv.getFiler().createSourceFile(name, origin).openWriter()) {
      file.writeTo(out);
      written.add(name);
    } catch (IOException e) {
      cannotWrite(name, e, origin);
    }
  }

  private void index(String modelClass, TypeElement origin) {
    try {
      FileObject entry = processingEnv.getFiler()
          .createResource(StandardLocation.CLASS_OUTPUT, "", MODEL_INDEX + modelClass, origin);
      try (Writer out = entry.openWriter()) {
        out.write(modelClass + "\n");
      }
    } catch (IOException e) {
      cannotWrite(MODEL_INDEX + modelClass, e, origin);
    }
  }

  private void cannotWrite(String name, IOException e, TypeElement origin) {
    processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
        "[kiln] cannot write " + name + ": " + e.getMessage(), origin);
  }

  private void note(String message, TypeElement origin) {
    processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, message, origin);
  }

  private static String qualifiedName(JavaFile file) {
    return file.packageName().isEmpty() ? file.typeSpec().name() : file.packageName() + "." + file.typeSpec().name();
  }
}
