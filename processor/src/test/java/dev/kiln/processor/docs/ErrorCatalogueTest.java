package dev.kiln.processor.docs;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.kiln.processor.KilnProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps docs/errors.md true: every {@code java} example in it is compiled with the processor, and
 * the compiler output printed after it must be what javac reports, error by error: file, line,
 * message, the source line, the caret's column and the trace lines. Each row of a "written |
 * message" table is the example before it with that attribute written instead, and must give that
 * message. A change to a diagnostic that the catalogue does not follow fails here.
 */
class ErrorCatalogueTest {
  private static final Path CATALOGUE = Path.of("..", "docs", "errors.md");
  /** What DiagnosticsTest puts before each example, so the catalogue's line numbers hold. */
  private static final String HEADER = """
      package test;
      import dev.kiln.annotations.*;
      import dev.kiln.runtime.nn.*;
      """;
  private static final Pattern ERROR = Pattern.compile("^(?:\\S*/)?(\\w+\\.java):(\\d+): error: (.*)$");
  private static final Pattern TYPE = Pattern.compile("public (?:record|class|interface|enum) (\\w+)");
  private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| `([^`]+)` \\|$");
  private static final Pattern TALLY = Pattern.compile("^\\d+ errors?$");

  @TestFactory
  Stream<DynamicTest> everyExampleGivesTheErrorsTheCatalogueShows() {
    List<DynamicTest> tests = new ArrayList<>();
    String section = "";
    String source = null;
    boolean sourceShown = false;
    boolean inTable = false;
    List<String> lines = read();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("## ") || line.startsWith("### ")) {
        section = line.replaceFirst("^#+ ", "");
        source = null;
        inTable = false;
      } else if (line.startsWith("```")) {
        List<String> block = new ArrayList<>();
        int start = i;
        while (!lines.get(++i).startsWith("```")) {
          block.add(lines.get(i));
        }
        if (line.equals("```java")) {
          source = String.join("\n", block) + "\n";
          sourceShown = false;
        } else if (source != null && !sourceShown) {
          String example = source;
          tests.add(DynamicTest.dynamicTest(section + " (errors.md:" + (start + 1) + ")",
              () -> checkOutput(example, block)));
          sourceShown = true;
        }
      } else if (line.equals("| written | message |")) {
        inTable = true;
      } else if (inTable && source != null && ROW.matcher(line).matches()) {
        Matcher row = ROW.matcher(line);
        row.matches();
        String example = rewrite(source, row.group(1));
        tests.add(DynamicTest.dynamicTest(section + ": " + row.group(1) + " (errors.md:" + (i + 1) + ")",
            () -> checkMessage(example, "[kiln] " + row.group(2))));
      } else if (line.isBlank()) {
        inTable = false;
      }
    }
    assertTrue(tests.size() >= 50, "expected every example of " + CATALOGUE + ", parsed only " + tests.size());
    return tests.stream();
  }

  /** The compiler output shown after an example, as javac prints it. */
  private static void checkOutput(String example, List<String> shown) {
    Compilation c = compile(example);
    List<Diagnostic<? extends JavaFileObject>> errors = new ArrayList<>(c.errors());
    int listed = 0;
    for (int i = 0; i < shown.size(); i++) {
      Matcher m = ERROR.matcher(shown.get(i));
      if (!m.matches()) {
        if (shown.get(i).startsWith("[kiln]")) {
          // A message shown without javac's location: only its text is checked.
          String text = shown.get(i);
          Diagnostic<? extends JavaFileObject> error = errors.stream()
              .filter(e -> e.getMessage(Locale.ROOT).split("\n")[0].equals(text)).findFirst()
              .orElseGet(() -> fail("no error \"" + text + "\"; javac reported:\n" + describe(errors)));
          errors.remove(error);
          listed++;
        }
        continue;
      }
      listed++;
      Diagnostic<? extends JavaFileObject> error = find(errors, m.group(1), Long.parseLong(m.group(2)), m.group(3));
      String[] message = error.getMessage(Locale.ROOT).split("\n");
      assertEquals(sourceLine(error), shown.get(i + 1), "the source line javac shows for " + m.group(3));
      assertEquals(error.getColumnNumber() - 1, shown.get(i + 2).indexOf('^'), "the caret's column under "
          + shown.get(i + 1));
      List<String> trace = new ArrayList<>();
      for (int j = i + 3; j < shown.size() && !ERROR.matcher(shown.get(j)).matches()
          && !TALLY.matcher(shown.get(j)).matches(); j++) {
        trace.add(shown.get(j).strip());
      }
      assertEquals(Stream.of(message).skip(1).map(String::strip).toList(), trace, "the lines after " + m.group(3));
      errors.remove(error);
    }
    assertTrue(listed > 0, "the output block shows no error: " + shown);
    assertEquals(List.of(), errors.stream().map(e -> e.getMessage(Locale.ROOT)).toList(),
        "errors javac reports that the catalogue does not show");
  }

  /** Some error of the example starts with {@code message}. */
  private static void checkMessage(String example, String message) {
    Compilation c = compile(example);
    List<String> found = c.errors().stream().map(e -> e.getMessage(Locale.ROOT).split("\n")[0]).toList();
    assertTrue(found.contains(message), "expected the error \"" + message + "\", javac reported " + found);
  }

  private static Diagnostic<? extends JavaFileObject> find(List<Diagnostic<? extends JavaFileObject>> errors,
      String file, long line, String message) {
    return errors.stream()
        .filter(e -> e.getSource() != null && e.getSource().getName().endsWith("/" + file))
        .filter(e -> e.getLineNumber() == line)
        .filter(e -> e.getMessage(Locale.ROOT).split("\n")[0].equals(message))
        .findFirst()
        .orElseGet(() -> fail("no error \"" + message + "\" at " + file + ":" + line + "; javac reported:\n"
            + describe(errors)));
  }

  private static String describe(List<Diagnostic<? extends JavaFileObject>> errors) {
    return String.join("\n", errors.stream().map(e -> (e.getSource() == null ? "" : e.getSource().getName())
        + ":" + e.getLineNumber() + ": " + e.getMessage(Locale.ROOT)).toList());
  }

  private static String sourceLine(Diagnostic<? extends JavaFileObject> error) {
    try {
      return error.getSource().getCharContent(true).toString().split("\n", -1)[(int) error.getLineNumber() - 1];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Compiles an example as the catalogue describes it: each public type, with the non-public types
   * written before it, is a file of its own in package {@code test}.
   */
  private static Compilation compile(String example) {
    List<JavaFileObject> files = new ArrayList<>();
    StringBuilder file = new StringBuilder();
    for (String chunk : example.split("\n\n")) {
      file.append(file.isEmpty() ? "" : "\n").append(chunk).append(chunk.endsWith("\n") ? "" : "\n");
      Matcher type = TYPE.matcher(chunk);
      if (type.find()) {
        files.add(JavaFileObjects.forSourceString("test." + type.group(1), HEADER + file));
        file.setLength(0);
      }
    }
    assertTrue(file.toString().isBlank(), "an example must end with a public type:\n" + example);
    return javac().withProcessors(new KilnProcessor()).compile(files);
  }

  /** {@code example} with {@code written} ({@code name = value}) in place of that attribute, or added to {@code @Model}. */
  private static String rewrite(String example, String written) {
    String name = written.substring(0, written.indexOf(" = "));
    Matcher present = Pattern.compile("\\b" + name + " = (\"[^\"]*\"|[^,)]*)").matcher(example);
    if (present.find()) {
      return example.substring(0, present.start()) + written + example.substring(present.end());
    }
    return example.replaceFirst("@Model\\(", Matcher.quoteReplacement("@Model(" + written + ", "));
  }

  private static List<String> read() {
    try {
      return Files.readAllLines(CATALOGUE);
    } catch (IOException e) {
      throw new UncheckedIOException("the error catalogue is read from " + CATALOGUE.toAbsolutePath(), e);
    }
  }
}
