package dev.kiln.processor.model;

/**
 * One dimension of a shape: a known size or a symbol ({@code B}, {@code T}, {@code V}) bound at run
 * time. Symbols with the same name are the same size.
 */
public record Dim(long size, String symbol) {
  public static final Dim BATCH = symbol("B");

  public Dim {
    if (symbol == null && size < 0) {
      throw new IllegalArgumentException("negative dimension " + size);
    }
  }

  public static Dim of(long size) {
    return new Dim(size, null);
  }

  public static Dim symbol(String name) {
    return new Dim(-1, name);
  }

  public boolean isKnown() {
    return symbol == null;
  }

  @Override
  public String toString() {
    return isKnown() ? Long.toString(size) : symbol;
  }
}
