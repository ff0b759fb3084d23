package dev.kiln.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** The {@code -Akiln.*} options: each changes what javac prints, and a bad value is an error. */
class ProcessorOptionsTest {
  private static final JavaFileObject MLP = JavaFileObjects.forSourceString("test.Mlp", """
      package test;
      import dev.kiln.annotations.*;
      import dev.kiln.runtime.nn.*;

      @Model(input = "28,28,1", output = "10")
      public record Mlp(
          @Flatten @Dense(features = 32, activation = Activation.RELU) DenseParams hidden,
          @Dense(features = 10) DenseParams logits) {}
      """);

  private static Compilation compile(String... options) {
    return javac().withProcessors(new KilnProcessor()).withOptions((Object[]) options).compile(MLP);
  }

  private static List<String> kilnNotes(Compilation c) {
    return c.notes().stream().map(d -> d.getMessage(null)).filter(m -> m.startsWith("[kiln]")).toList();
  }

  @Test
  void withoutOptionsTheProcessorIsSilent() {
    Compilation c = compile();
    assertThat(c).succeededWithoutWarnings();
    assertEquals(List.of(), kilnNotes(c));
  }

  @Test
  void summaryPrintsTheTableOfEachModelAsANoteOnTheRecord() {
    Compilation c = compile("-Akiln.summary");
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).hadNoteContaining("[kiln] Mlp:\n").inFile(MLP).onLineContaining("public record Mlp(");
    String note = kilnNotes(c).get(0);
    assertTrue(note.contains("Mlp summary"), note);
    assertTrue(note.contains("hidden") && note.contains("logits"), note);
    assertTrue(note.contains("Total parameters: 25,450"), note);
  }

  @Test
  void summaryFalseIsTheSameAsNoOption() {
    assertEquals(List.of(), kilnNotes(compile("-Akiln.summary=false")));
  }

  @Test
  void verboseNamesTheClassesWrittenForEachModel() {
    Compilation c = compile("-Akiln.verbose=true");
    assertThat(c).succeededWithoutWarnings();
    assertEquals(List.of("[kiln] Mlp: wrote test.MlpModel, test.MlpTrainer"), kilnNotes(c));
  }

  @Test
  void anOptionValueThatIsNotABooleanIsAnError() {
    Compilation c = compile("-Akiln.summary=yes");
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[kiln] -Akiln.summary expects true or false, found \"yes\"");
  }

  @Test
  void theOptionsAreDeclaredSoJavacDoesNotWarnAboutThem() {
    Compilation c = compile("-Akiln.summary=false", "-Akiln.verbose=false", "-Akiln.unknown=1");
    assertThat(c).succeeded();
    // javac lists options no processor declares; only the undeclared one may appear.
    assertThat(c).hadWarningContaining("kiln.unknown");
    c.warnings().forEach(w -> assertTrue(!w.getMessage(null).contains("kiln.summary")
        && !w.getMessage(null).contains("kiln.verbose"), w.getMessage(null)));
  }
}
