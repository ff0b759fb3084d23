package dev.kiln.runtime.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The MessagePack format (msgpack.org's spec), as much of it as Flax checkpoints need, so Kiln takes no
 * msgpack dependency. Values map to Java as: nil {@code null}, bool {@link Boolean}, integers {@link Long}
 * (a uint64 beyond {@code Long.MAX_VALUE} is refused), float 32 {@link Float}, float 64 {@link Double},
 * str {@link String} (strict UTF-8), bin {@code byte[]}, array {@code List<Object>}, map
 * {@code LinkedHashMap<String, Object>} (keys must be strings, as in Flax's state dicts, and distinct) and
 * ext {@link Ext}, which the caller's decoder turns into a value of its own.
 *
 * <p>Writing picks the shortest encoding of each value exactly as the Python {@code msgpack} package
 * does with {@code use_bin_type=True} (the default), so a tree read from a Flax file is written back to
 * the same bytes. Reading trusts nothing: every length is checked against the bytes that remain before
 * anything is allocated, nesting deeper than {@link #MAX_DEPTH} is refused, and every error names the
 * byte offset and what was expected there.
 */
public final class MsgPack {
  /** Deeper nesting is refused: a parameter tree is a few levels deep, a hostile file could be thousands. */
  public static final int MAX_DEPTH = 64;

  /** An extension value: its type code (-128..127) and payload, not interpreted by this class. */
  public record Ext(int type, byte[] data) {
    public Ext {
      if (type < -128 || type > 127) {
        throw new IllegalArgumentException("msgpack ext type must be in -128..127, found " + type);
      }
    }
  }

  /** Turns an extension value into a Java value, or fails naming what it expected. */
  @FunctionalInterface
  public interface ExtDecoder {
    /**
     * @param offset where the payload starts in the input, for error messages
     * @throws IOException if the type is unknown or the payload malformed
     */
    Object decode(int type, byte[] data, long offset) throws IOException;
  }

  private final byte[] in;
  private final int end;
  private final long base;
  private final ExtDecoder ext;
  private int pos;

  private MsgPack(byte[] in, int from, int end, long base, ExtDecoder ext) {
    this.in = in;
    this.pos = from;
    this.end = end;
    this.base = base;
    this.ext = ext;
  }

  /** Reads one value that fills {@code bytes} exactly; extension values go through {@code ext}. */
  public static Object read(byte[] bytes, ExtDecoder ext) throws IOException {
    return read(bytes, 0, ext);
  }

  /**
   * Reads one value that fills {@code bytes} exactly, reporting offsets as if {@code bytes} started at
   * {@code base} of a larger input (for payloads nested in another value).
   */
  public static Object read(byte[] bytes, long base, ExtDecoder ext) throws IOException {
    MsgPack reader = new MsgPack(bytes, 0, bytes.length, base, ext);
    Object value = reader.value(0);
    if (reader.pos != reader.end) {
      throw reader.error(reader.pos, "end of input after the value", (reader.end - reader.pos) + " more bytes");
    }
    return value;
  }

  private Object value(int depth) throws IOException {
    int at = pos;
    int b = u8("a value");
    if (b <= 0x7f) {
      return (long) b;
    } else if (b >= 0xe0) {
      return (long) (byte) b;
    } else if (b <= 0x8f) {
      return map(at, b & 0x0f, depth);
    } else if (b <= 0x9f) {
      return array(at, b & 0x0f, depth);
    } else if (b <= 0xbf) {
      return string(at, b & 0x1f);
    }
    return switch (b) {
      case 0xc0 -> null;
      case 0xc2 -> Boolean.FALSE;
      case 0xc3 -> Boolean.TRUE;
      case 0xc4 -> bytes(at, u8("a bin8 length"), "bin");
      case 0xc5 -> bytes(at, u16("a bin16 length"), "bin");
      case 0xc6 -> bytes(at, length(u32("a bin32 length")), "bin");
      case 0xc7 -> extension(at, u8("an ext8 length"));
      case 0xc8 -> extension(at, u16("an ext16 length"));
      case 0xc9 -> extension(at, length(u32("an ext32 length")));
      case 0xca -> Float.intBitsToFloat((int) u32("a float32"));
      case 0xcb -> Double.longBitsToDouble(s64("a float64"));
      case 0xcc -> (long) u8("a uint8");
      case 0xcd -> (long) u16("a uint16");
      case 0xce -> u32("a uint32");
      case 0xcf -> {
        long v = s64("a uint64");
        if (v < 0) {
          throw error(at, "an integer that fits a signed 64-bit long", "uint64 " + Long.toUnsignedString(v));
        }
        yield v;
      }
      case 0xd0 -> (long) (byte) u8("an int8");
      case 0xd1 -> (long) (short) u16("an int16");
      case 0xd2 -> (long) (int) u32("an int32");
      case 0xd3 -> s64("an int64");
      case 0xd4 -> extension(at, 1);
      case 0xd5 -> extension(at, 2);
      case 0xd6 -> extension(at, 4);
      case 0xd7 -> extension(at, 8);
      case 0xd8 -> extension(at, 16);
      case 0xd9 -> string(at, u8("a str8 length"));
      case 0xda -> string(at, u16("a str16 length"));
      case 0xdb -> string(at, length(u32("a str32 length")));
      case 0xdc -> array(at, u16("an array16 length"), depth);
      case 0xdd -> array(at, length(u32("an array32 length")), depth);
      case 0xde -> map(at, u16("a map16 length"), depth);
      case 0xdf -> map(at, length(u32("a map32 length")), depth);
      default -> throw error(at, "a msgpack type byte", String.format("0x%02x, which msgpack never uses", b));
    };
  }

  private LinkedHashMap<String, Object> map(int at, int count, int depth) throws IOException {
    checkDepth(at, depth);
    // every entry takes at least two bytes: a longer count is a lie, refused before allocating
    if (count > (end - pos) / 2) {
      throw error(at, "a map whose " + count + " entries fit the " + (end - pos) + " bytes left", "too few bytes");
    }
    LinkedHashMap<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      int keyAt = pos;
      if (!(value(depth + 1) instanceof String key)) {
        throw error(keyAt, "a string map key", "a key of another type");
      }
      if (map.containsKey(key)) {
        throw error(keyAt, "distinct map keys", "'" + key + "' a second time");
      }
      map.put(key, value(depth + 1));
    }
    return map;
  }

  private List<Object> array(int at, int count, int depth) throws IOException {
    checkDepth(at, depth);
    if (count > end - pos) {
      throw error(at, "an array whose " + count + " elements fit the " + (end - pos) + " bytes left", "too few bytes");
    }
    List<Object> list = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      list.add(value(depth + 1));
    }
    return list;
  }

  private String string(int at, int length) throws IOException {
    byte[] raw = bytes(at, length, "str");
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw)).toString();
    } catch (CharacterCodingException e) {
      throw error(at, "a UTF-8 string", "invalid UTF-8");
    }
  }

  private Object extension(int at, int length) throws IOException {
    int type = (byte) u8("an ext type");
    int payloadAt = pos;
    byte[] data = bytes(at, length, "ext");
    if (ext == null) {
      throw error(at, "no extension values", "ext type " + type);
    }
    return ext.decode(type, data, base + payloadAt);
  }

  private byte[] bytes(int at, int length, String what) throws IOException {
    if (length > end - pos) {
      throw error(at, what + " of " + length + " bytes", "only " + (end - pos) + " bytes left (truncated?)");
    }
    byte[] out = new byte[length];
    System.arraycopy(in, pos, out, 0, length);
    pos += length;
    return out;
  }

  private void checkDepth(int at, int depth) throws IOException {
    if (depth >= MAX_DEPTH) {
      throw error(at, "nesting at most " + MAX_DEPTH + " deep", "deeper nesting");
    }
  }

  /** A 32-bit length as an int; Java arrays hold at most 2^31 - 1 bytes. */
  private int length(long length) throws IOException {
    if (length > Integer.MAX_VALUE - 8) {
      throw error(pos - 4, "a length below 2 GiB", Long.toString(length));
    }
    return (int) length;
  }

  private int u8(String what) throws IOException {
    need(1, what);
    return in[pos++] & 0xff;
  }

  private int u16(String what) throws IOException {
    need(2, what);
    int v = ((in[pos] & 0xff) << 8) | (in[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  private long u32(String what) throws IOException {
    need(4, what);
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (in[pos++] & 0xff);
    }
    return v;
  }

  private long s64(String what) throws IOException {
    need(8, what);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (in[pos++] & 0xff);
    }
    return v;
  }

  private void need(int n, String what) throws IOException {
    if (end - pos < n) {
      throw error(pos, what, "the end of the input (truncated?)");
    }
  }

  private MalformedFileException error(int at, String expected, String found) {
    return new MalformedFileException("msgpack at byte " + (base + at) + ": expected " + expected + ", found " + found);
  }

  // ---------------------------------------------------------------------------------------------
  // Writing

  /** The bytes of {@code value}; objects of other types than those listed above go through {@code ext}. */
  public static byte[] write(Object value, Function<Object, Ext> ext) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out, value, ext);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array stream does not fail
    }
    return out.toByteArray();
  }

  /**
   * Writes {@code value}: {@code null}, {@link Boolean}, {@link Long}, {@link Integer}, {@link Short},
   * {@link Byte}, {@link Float}, {@link Double}, {@link String}, {@code byte[]}, {@link List}, {@link Map}
   * with string keys, {@link Ext}; any other object is handed to {@code ext} (null: refused).
   *
   * @throws IllegalArgumentException for a value that has no msgpack form
   */
  public static void write(OutputStream out, Object value, Function<Object, Ext> ext) throws IOException {
    if (value == null) {
      out.write(0xc0);
    } else if (value instanceof Boolean b) {
      out.write(b ? 0xc3 : 0xc2);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      writeInteger(out, ((Number) value).longValue());
    } else if (value instanceof Float f) {
      out.write(0xca);
      writeBigEndian(out, Float.floatToRawIntBits(f), 4);
    } else if (value instanceof Double d) {
      out.write(0xcb);
      writeBigEndian(out, Double.doubleToRawLongBits(d), 8);
    } else if (value instanceof String s) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      writeHeader(out, utf8.length, 0xa0, 31, 0xd9, 0xda, 0xdb);
      out.write(utf8);
    } else if (value instanceof byte[] bytes) {
      writeHeader(out, bytes.length, -1, -1, 0xc4, 0xc5, 0xc6);
      out.write(bytes);
    } else if (value instanceof List<?> list) {
      writeHeader(out, list.size(), 0x90, 15, -1, 0xdc, 0xdd);
      for (Object element : list) {
        write(out, element, ext);
      }
    } else if (value instanceof Map<?, ?> map) {
      writeHeader(out, map.size(), 0x80, 15, -1, 0xde, 0xdf);
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException("msgpack map keys must be strings here, found " + e.getKey());
        }
        write(out, key, ext);
        write(out, e.getValue(), ext);
      }
    } else if (value instanceof Ext e) {
      writeExt(out, e);
    } else {
      Ext encoded = ext == null ? null : ext.apply(value);
      if (encoded == null) {
        throw new IllegalArgumentException("no msgpack form for a " + value.getClass().getName());
      }
      writeExt(out, encoded);
    }
  }

  private static void writeExt(OutputStream out, Ext e) throws IOException {
    int n = e.data().length;
    switch (n) {
      case 1 -> out.write(0xd4);
      case 2 -> out.write(0xd5);
      case 4 -> out.write(0xd6);
      case 8 -> out.write(0xd7);
      case 16 -> out.write(0xd8);
      default -> writeHeader(out, n, -1, -1, 0xc7, 0xc8, 0xc9);
    }
    out.write(e.type());
    out.write(e.data());
  }

  /** The shortest integer form, as Python's msgpack chooses it. */
  private static void writeInteger(OutputStream out, long v) throws IOException {
    if (v >= 0) {
      if (v <= 0x7f) {
        out.write((int) v);
      } else if (v <= 0xff) {
        out.write(0xcc);
        out.write((int) v);
      } else if (v <= 0xffff) {
        out.write(0xcd);
        writeBigEndian(out, v, 2);
      } else if (v <= 0xffffffffL) {
        out.write(0xce);
        writeBigEndian(out, v, 4);
      } else {
        out.write(0xcf);
        writeBigEndian(out, v, 8);
      }
    } else if (v >= -32) {
      out.write((int) v & 0xff);
    } else if (v >= Byte.MIN_VALUE) {
      out.write(0xd0);
      out.write((int) v & 0xff);
    } else if (v >= Short.MIN_VALUE) {
      out.write(0xd1);
      writeBigEndian(out, v, 2);
    } else if (v >= Integer.MIN_VALUE) {
      out.write(0xd2);
      writeBigEndian(out, v, 4);
    } else {
      out.write(0xd3);
      writeBigEndian(out, v, 8);
    }
  }

  /**
   * A length header: the fix form ({@code fix | n}, when {@code fix >= 0} and {@code n <= fixMax}), else
   * the 8-bit form (when {@code tag8 >= 0}), else the 16-bit, else the 32-bit one.
   */
  private static void writeHeader(OutputStream out, int n, int fix, int fixMax, int tag8, int tag16, int tag32)
      throws IOException {
    if (fix >= 0 && n <= fixMax) {
      out.write(fix | n);
    } else if (tag8 >= 0 && n <= 0xff) {
      out.write(tag8);
      out.write(n);
    } else if (n <= 0xffff) {
      out.write(tag16);
      writeBigEndian(out, n, 2);
    } else {
      out.write(tag32);
      writeBigEndian(out, n, 4);
    }
  }

  private static void writeBigEndian(OutputStream out, long v, int bytes) throws IOException {
    for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift) & 0xff);
    }
  }
}
