package dev.kiln.runtime.io;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The NumPy {@code .npy} format, versions 1 to 3, C order only. */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int MAX_HEADER = 1 << 16;
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /**
   * Reads one array. {@code maxBytes} bounds the data it will accept, so a header that claims an
   * absurd shape fails instead of allocating it; the data is read as it arrives, so a header that
   * claims more than the stream holds costs no more memory than the stream's bytes.
   *
   * @throws MalformedFileException if the stream is not a valid {@code .npy} array (message says why)
   */
  public static NpyArray read(InputStream in, long maxBytes) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] magic = new byte[8];
    if (data.readNBytes(magic, 0, magic.length) < magic.length || !Arrays.equals(magic, 0, 6, MAGIC, 0, 6)) {
      throw new MalformedFileException("not a .npy array: expected the magic bytes \\x93NUMPY and a version first");
    }
    int major = magic[6] & 0xFF;
    byte[] header;
    try {
      long headerLength = switch (major) {
        case 1 -> Short.toUnsignedInt(Short.reverseBytes(data.readShort()));
        case 2, 3 -> Integer.toUnsignedLong(Integer.reverseBytes(data.readInt()));
        default -> throw new MalformedFileException("unsupported .npy version " + major + ": expected 1, 2 or 3");
      };
      if (headerLength > MAX_HEADER) {
        throw new MalformedFileException(".npy header of " + headerLength + " bytes: expected at most " + MAX_HEADER);
      }
      header = new byte[(int) headerLength];
      data.readFully(header);
    } catch (EOFException e) {
      throw new MalformedFileException(".npy header is truncated", e);
    }
    String text = new String(header, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    NpyDtype dtype;
    try {
      dtype = NpyDtype.parse(field(DESCR, text, "descr"));
    } catch (IllegalArgumentException e) {
      throw new MalformedFileException(e.getMessage(), e);
    }
    if (field(ORDER, text, "fortran_order").equals("True")) {
      throw new MalformedFileException("Fortran-ordered .npy arrays are not supported: expected fortran_order False");
    }
    long[] shape = parseShape(field(SHAPE, text, "shape"));
    long limit = Math.min(maxBytes, Integer.MAX_VALUE - 8);
    long bytes = byteCount(shape, dtype);
    if (bytes > limit) {
      throw new MalformedFileException(".npy array of shape " + Arrays.toString(shape) + " needs " + bytes
          + " bytes, more than the " + limit + " available");
    }
    byte[] body = data.readNBytes((int) bytes);
    if (body.length < bytes) {
      throw new MalformedFileException(".npy data is truncated: expected " + bytes + " bytes, found " + body.length);
    }
    return new NpyArray(dtype, shape, ByteBuffer.wrap(body));
  }

  /** The data size of a shape, or Long.MAX_VALUE if it overflows (it is then refused as too large). */
  private static long byteCount(long[] shape, NpyDtype dtype) {
    try {
      return Math.multiplyExact(NpyDtype.elementCount(shape), dtype.size());
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }

  /** Writes one array as version 1.0 (version 2.0 if the header needs it). */
  public static byte[] write(NpyArray array) {
    StringBuilder shape = new StringBuilder("(");
    for (long d : array.shape()) {
      shape.append(d).append(", ");
    }
    if (array.shape().length > 1) {
      shape.setLength(shape.length() - 2);
    } else if (array.shape().length == 1) {
      shape.setLength(shape.length() - 1);
    }
    shape.append(")");
    String dict = "{'descr': '" + array.dtype().descr() + "', 'fortran_order': False, 'shape': " + shape + ", }";
    boolean v2 = dict.length() + 11 > 0xFFFF;
    int prefix = v2 ? 12 : 10;
    int padded = ((prefix + dict.length() + 1 + 63) / 64) * 64;
    String header = dict + " ".repeat(padded - prefix - dict.length() - 1) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream(padded + array.data().remaining());
    out.writeBytes(MAGIC);
    out.write(v2 ? 2 : 1);
    out.write(0);
    int len = header.length();
    out.write(len & 0xFF);
    out.write((len >> 8) & 0xFF);
    if (v2) {
      out.write((len >> 16) & 0xFF);
      out.write((len >> 24) & 0xFF);
    }
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    ByteBuffer data = array.data().duplicate();
    byte[] body = new byte[data.remaining()];
    data.get(body);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static String field(Pattern pattern, String header, String name) throws IOException {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new MalformedFileException("malformed .npy header: no '" + name + "' in " + header.strip());
    }
    return m.group(1);
  }

  private static long[] parseShape(String text) throws IOException {
    List<Long> dims = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      try {
        long d = Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
        if (d < 0) {
          throw new MalformedFileException("negative dimension " + d + " in .npy shape (" + text + ")");
        }
        dims.add(d);
      } catch (NumberFormatException e) {
        throw new MalformedFileException("malformed .npy shape (" + text + ")", e);
      }
    }
    return dims.stream().mapToLong(Long::longValue).toArray();
  }
}
