package dev.kiln.processor.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/layers.md complete: every layer annotation in {@code annotations/} has a row in the
 * overview table and a section with each of its attributes in the attribute table, its shape rule,
 * its parameters and its Flax equivalent.
 */
class LayerCatalogueTest {
  private static final Path CATALOGUE = Path.of("..", "docs", "layers.md");
  private static final Path ANNOTATIONS = Path.of("..", "annotations", "src", "main", "java", "dev", "kiln",
      "annotations");
  private static final Pattern ATTRIBUTE = Pattern.compile("^\\s+[\\w\\[\\]]+ (\\w+)\\(\\)( default .*)?;$",
      Pattern.MULTILINE);
  private static final List<String> PARTS = List.of("**Shape rule.**", "**Parameters", "**Flax equivalent.**");

  @Test
  void everyLayerAnnotationIsCatalogued() throws IOException {
    String catalogue = Files.readString(CATALOGUE);
    List<String> gaps = new ArrayList<>();
    List<Path> layers;
    try (Stream<Path> files = Files.list(ANNOTATIONS)) {
      layers = files.filter(LayerCatalogueTest::isLayer).sorted().toList();
    }
    for (Path layer : layers) {
      String name = layer.getFileName().toString().replace(".java", "");
      if (!catalogue.contains("| [`@" + name + "`](#" + name.toLowerCase() + ") |")) {
        gaps.add("@" + name + ": no row in the overview table");
      }
      String section = section(catalogue, "### `@" + name + "`");
      if (section == null) {
        gaps.add("@" + name + ": no section");
        continue;
      }
      Matcher attribute = ATTRIBUTE.matcher(Files.readString(layer));
      while (attribute.find()) {
        if (!section.contains("| `" + attribute.group(1) + "` |")) {
          gaps.add("@" + name + ": attribute " + attribute.group(1) + " is not in its table");
        }
      }
      PARTS.stream().filter(part -> !section.contains(part)).forEach(part -> gaps.add("@" + name + ": no " + part));
    }
    assertEquals(List.of(), gaps, "docs/layers.md against " + layers.size() + " layer annotations");
  }

  private static boolean isLayer(Path file) {
    try {
      return Files.readString(file).contains("\n@Layer\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The text from {@code heading} to the next heading of its level or above, or null. */
  private static String section(String text, String heading) {
    int start = text.indexOf(heading + "\n");
    if (start < 0) {
      return null;
    }
    Matcher next = Pattern.compile("^#{2,3} ", Pattern.MULTILINE).matcher(text);
    int end = next.find(start + heading.length()) ? next.start() : text.length();
    return text.substring(start, end);
  }
}
