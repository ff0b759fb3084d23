package dev.kiln.processor.javac;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.kiln.processor.KilnProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** What the processor writes for valid models: it compiles, and the MLP's model class is golden. */
class GeneratedSourceTest {
  private static final JavaFileObject MLP = JavaFileObjects.forSourceString("test.Mlp", """
      package test;

      import static dev.kiln.annotations.Activation.RELU;

      import dev.kiln.annotations.*;
      import dev.kiln.runtime.nn.*;

      @Model(input = "28,28,1", output = "10")
      public record Mlp(
          @Flatten @Dense(features = 128, activation = RELU) DenseParams hidden,
          @Dense(features = 10) DenseParams logits) {}
      """);

  @Test
  void mlpModelMatchesTheGoldenSource() throws IOException {
    Compilation c = javac().withProcessors(new KilnProcessor()).compile(MLP);
    assertThat(c).succeededWithoutWarnings();
    assertEquals(golden("MlpModel.java"), c.generatedSourceFile("test.MlpModel").orElseThrow()
        .getCharContent(true).toString());
    assertThat(c).generatedSourceFile("test.MlpTrainer");
  }

  @Test
  void branchesSubModelsAndSeveralOutputsCompile() {
    JavaFileObject encoder = JavaFileObjects.forSourceString("test.Encoder", """
        package test;
        import dev.kiln.annotations.*;
        import dev.kiln.runtime.nn.*;

        @Model(input = "784")
        public record Encoder(
            @Dense(features = 32, activation = Activation.TANH) DenseParams hidden,
            @Output @Dense(features = 4) DenseParams mean,
            @Output @From("hidden") @Dense(features = 4) DenseParams logStd) {}
        """);
    JavaFileObject classifier = JavaFileObjects.forSourceString("test.Classifier", """
        package test;
        import dev.kiln.annotations.*;
        import dev.kiln.runtime.nn.*;

        @Model(input = "T,8", output = "T,3;T,16")
        public record Classifier(
            @Dense(features = 16, activation = Activation.GELU) DenseParams hidden,
            Head head,
            @Output @Dense(features = 3) DenseParams logits,
            @Output @From("hidden") @Activate(Activation.SILU) NoParams skip) {}
        """);
    JavaFileObject head = JavaFileObjects.forSourceString("test.Head", """
        package test;
        import dev.kiln.annotations.*;
        import dev.kiln.runtime.nn.*;

        @Model(input = "S,16", output = "S,16")
        public record Head(@Dense(features = 16, activation = Activation.RELU) DenseParams dense) {}
        """);
    Compilation c = javac().withProcessors(new KilnProcessor()).compile(encoder, classifier, head);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("test.EncoderModel").contentsAsUtf8String()
        .contains("public record Outputs(INDArray mean, INDArray logStd)");
    assertThat(c).generatedSourceFile("test.ClassifierModel").contentsAsUtf8String()
        .contains("t.dHidden.addi(dHiddenPart2)");
  }

  private static String golden(String name) {
    try (InputStream in = GeneratedSourceTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
