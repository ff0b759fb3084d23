package dev.kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/**
 * What Gradle's isolating mode asks of the processor: it is declared isolating, and every file it
 * writes through the {@link Filer} names exactly one originating element, the record it came from.
 * The model index a build tool reads is checked here too.
 */
class IncrementalProcessingTest {
  private static JavaFileObject source(String name, String body) {
    return JavaFileObjects.forSourceString("test." + name, """
        package test;
        import dev.kiln.annotations.*;
        import dev.kiln.runtime.nn.*;
        """ + body);
  }

  private static final JavaFileObject HEAD = source("Head", """
      @Model(input = "16", output = "2")
      public record Head(@Dense(features = 2) DenseParams logits) {}
      """);
  private static final JavaFileObject NET = source("Net", """
      @Model(input = "8", output = "2")
      public record Net(@Dense(features = 16) DenseParams hidden, Head head) {}
      """);

  @Test
  void theProcessorIsDeclaredIsolatingForGradle() throws IOException {
    try (InputStream in = KilnProcessor.class.getResourceAsStream("/META-INF/gradle/incremental.annotation.processors")) {
      assertEquals("dev.kiln.processor.KilnProcessor,isolating",
          new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
    }
  }

  @Test
  void everyWrittenFileHasItsRecordAsTheOnlyOriginatingElement() {
    List<String> writes = new ArrayList<>();
    Compilation c = javac().withProcessors(new RecordingProcessor(writes)).compile(HEAD, NET);
    assertThat(c).succeeded();
    assertEquals(6, writes.size(), writes.toString());
    assertEquals(Set.of(
        "test.HeadModel <- [Head]", "test.HeadTrainer <- [Head]", "META-INF/kiln/models/test.HeadModel <- [Head]",
        "test.NetModel <- [Net]", "test.NetTrainer <- [Net]", "META-INF/kiln/models/test.NetModel <- [Net]"),
        Set.copyOf(writes));
  }

  @Test
  void theModelIndexListsEachGeneratedModelClassInAFileOfItsOwn() {
    Compilation c = javac().withProcessors(new KilnProcessor()).compile(HEAD, NET);
    assertThat(c).succeeded();
    assertThat(c).generatedFile(StandardLocation.CLASS_OUTPUT, "", KilnProcessor.MODEL_INDEX + "test.HeadModel")
        .contentsAsUtf8String().isEqualTo("test.HeadModel\n");
    assertThat(c).generatedFile(StandardLocation.CLASS_OUTPUT, "", KilnProcessor.MODEL_INDEX + "test.NetModel")
        .contentsAsUtf8String().isEqualTo("test.NetModel\n");
  }

  /** The Kiln processor seen through a {@link Filer} that records each file and its originating elements. */
  private static final class RecordingProcessor extends javax.annotation.processing.AbstractProcessor {
    private final KilnProcessor kiln = new KilnProcessor();
    private final List<String> writes;

    RecordingProcessor(List<String> writes) {
      this.writes = writes;
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return kiln.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return kiln.getSupportedSourceVersion();
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
      super.init(env);
      Filer filer = env.getFiler();
      Filer recording = delegate(Filer.class, (method, args) -> {
        if (method.getName().startsWith("create")) {
          String name = method.getName().equals("createResource") ? args[2].toString() : args[0].toString();
          Element[] origins = (Element[]) args[args.length - 1];
          writes.add(name + " <- " + Arrays.stream(origins).map(e -> e.getSimpleName().toString()).toList());
        }
        return method.invoke(filer, args);
      });
      kiln.init(delegate(ProcessingEnvironment.class,
          (method, args) -> method.getName().equals("getFiler") ? recording : method.invoke(env, args)));
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      return kiln.process(annotations, round);
    }
  }

  /** An implementation of {@code type} that answers every call with {@code handler}. */
  private static <T> T delegate(Class<T> type, Handler handler) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      try {
        return handler.handle(method, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }));
  }

  private interface Handler {
    Object handle(Method method, Object[] args) throws Exception;
  }
}
