package dev.kiln.processor.model;

import java.util.ArrayList;
import java.util.List;

/** Parses the shapes users write in {@code @Model}: {@code "28,28,1"}, {@code "T,64"}. */
public final class ShapeText {
  /** Names generated {@code init} methods use for their own parameters. */
  private static final java.util.Set<String> RESERVED = java.util.Set.of("key", "root", "scope");

  private ShapeText() {}

  /**
   * The per-example dimensions of {@code text}.
   *
   * @throws IllegalArgumentException with a message saying what was expected and found
   */
  public static List<Dim> parse(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("expected dimensions such as \"28,28,1\", found an empty shape");
    }
    List<Dim> dims = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String p = part.strip();
      if (p.matches("\\d+")) {
        long size = Long.parseLong(p);
        if (size == 0) {
          throw new IllegalArgumentException("expected positive sizes, found 0 in \"" + text + "\"");
        }
        dims.add(Dim.of(size));
      } else if (p.matches("[A-Za-z_][A-Za-z_0-9]*")) {
        if (javax.lang.model.SourceVersion.isKeyword(p) || RESERVED.contains(p)) {
          throw new IllegalArgumentException("the symbol \"" + p + "\" names a generated parameter or a Java keyword;"
              + " use another name, e.g. \"V\"");
        }
        if (p.equals("B")) {
          throw new IllegalArgumentException("\"B\" is the implicit batch axis; write the shape of one example, found \""
              + text + "\"");
        }
        dims.add(Dim.symbol(p));
      } else {
        throw new IllegalArgumentException("expected a positive size or a symbol, found \"" + p + "\" in \"" + text + "\"");
      }
    }
    return dims;
  }
}
