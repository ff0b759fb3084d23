package dev.kiln.runtime.io;

import org.nd4j.linalg.api.buffer.DataType;

/** The NumPy dtypes Kiln reads and writes, all little-endian. */
public enum NpyDtype {
  FLOAT32("f4", 4),
  FLOAT64("f8", 8),
  INT32("i4", 4),
  INT64("i8", 8),
  UINT32("u4", 4),
  UINT8("u1", 1),
  BOOL("b1", 1);

  private final String code;
  private final int size;

  NpyDtype(String code, int size) {
    this.code = code;
    this.size = size;
  }

  /** The NumPy type code without byte order, e.g. {@code f4}. */
  public String code() {
    return code;
  }

  public int size() {
    return size;
  }

  /** Parses a NumPy {@code descr} such as {@code <f4}, {@code |u1} or {@code |b1}. */
  public static NpyDtype parse(String descr) {
    if (descr.length() == 3 && (descr.charAt(0) == '<' || descr.charAt(0) == '|')) {
      String code = descr.substring(1);
      for (NpyDtype d : values()) {
        if (d.code.equals(code) && (d.size == 1 || descr.charAt(0) == '<')) {
          return d;
        }
      }
    }
    throw new IllegalArgumentException("unsupported dtype '" + descr
        + "': expected little-endian f4, f8, i4, i8, u4, u1 or b1");
  }

  /** The {@code descr} written to a header. */
  public String descr() {
    return (size == 1 ? "|" : "<") + code;
  }

  public static NpyDtype of(DataType type) {
    return switch (type) {
      case FLOAT -> FLOAT32;
      case DOUBLE -> FLOAT64;
      case INT -> INT32;
      case LONG -> INT64;
      case UBYTE -> NpyDtype.UINT8;
      case BOOL -> NpyDtype.BOOL;
      default -> throw new IllegalArgumentException("cannot store ND4J data type " + type
          + " in .npy: expected FLOAT, DOUBLE, INT, LONG, UINT8 or BOOL");
    };
  }

  /** The number of elements of a shape, checked against overflow. */
  static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension " + d);
      }
      n = Math.multiplyExact(n, d);
    }
    return n;
  }
}
