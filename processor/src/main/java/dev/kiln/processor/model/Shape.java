package dev.kiln.processor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A tensor shape whose first axis is the batch {@code B}. Printed as users read it: {@code
 * (B,28,28,1)}.
 */
public record Shape(List<Dim> dims) {
  public Shape {
    dims = List.copyOf(dims);
  }

  /** A batched shape from the per-example dimensions. */
  public static Shape batched(List<Dim> perExample) {
    List<Dim> all = new ArrayList<>();
    all.add(Dim.BATCH);
    all.addAll(perExample);
    return new Shape(all);
  }

  public static Shape batched(long... perExample) {
    List<Dim> dims = new ArrayList<>();
    for (long d : perExample) {
      dims.add(Dim.of(d));
    }
    return batched(dims);
  }

  public int rank() {
    return dims.size();
  }

  public Dim dim(int axis) {
    return dims.get(axis < 0 ? dims.size() + axis : axis);
  }

  public Dim last() {
    return dims.get(dims.size() - 1);
  }

  /** The dimensions after the batch axis. */
  public List<Dim> perExample() {
    return dims.subList(1, dims.size());
  }

  /** A copy with the last axis replaced. */
  public Shape withLast(Dim d) {
    List<Dim> copy = new ArrayList<>(dims);
    copy.set(copy.size() - 1, d);
    return new Shape(copy);
  }

  /** The product of the per-example dimensions, or -1 when one of them is symbolic. */
  public long perExampleSize() {
    long n = 1;
    for (Dim d : perExample()) {
      if (!d.isKnown()) {
        return -1;
      }
      n = Math.multiplyExact(n, d.size());
    }
    return n;
  }

  @Override
  public String toString() {
    return dims.stream().map(Dim::toString).collect(Collectors.joining(",", "(", ")"));
  }
}
