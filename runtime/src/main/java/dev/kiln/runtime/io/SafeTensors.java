package dev.kiln.runtime.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to {@code dtype}, {@code shape} and {@code data_offsets} (relative to
 * the data that follows the header) plus an optional {@code __metadata__} map of strings, then the
 * little-endian tensor bytes. Dtypes F32, F64, I32, I64, U32, U8 and BOOL. Reading trusts nothing: the
 * header length, every offset and every size are checked against the file before anything is
 * allocated, and, as the reference implementation requires, the tensors must tile the data with no
 * gap or overlap.
 */
public final class SafeTensors {
  /** The largest header accepted (the reference implementation's limit). */
  public static final long MAX_HEADER_BYTES = 100_000_000;

  private static final String METADATA = "__metadata__";

  private SafeTensors() {}

  /** A file's tensors in header order and its {@code __metadata__} (empty if absent). */
  public record Contents(Map<String, NpyArray> tensors, Map<String, String> metadata) {}

  /**
   * Reads a whole file. Memory is bounded by the file's size: nothing is allocated for a size the
   * header claims before it is checked against the bytes present.
   *
   * @throws MalformedFileException if the file is not valid safetensors (message says why)
   */
  public static Contents read(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      return read(channel);
    } catch (IOException e) {
      throw MalformedFileException.at(path, e);
    }
  }

  private static Contents read(FileChannel channel) throws IOException {
    long fileSize = channel.size();
    if (fileSize < 8) {
      throw new MalformedFileException("not a safetensors file: " + fileSize + " bytes, too short for the 8-byte header length");
    }
    long headerLength = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
      throw new MalformedFileException("absurd safetensors header length " + Long.toUnsignedString(headerLength)
          + ": expected at most " + MAX_HEADER_BYTES + " bytes");
    }
    if (headerLength > fileSize - 8) {
      throw new MalformedFileException("safetensors header length " + headerLength + " runs past the end of the file ("
          + (fileSize - 8) + " bytes after the length): the file is truncated or not safetensors");
    }
    String headerText;
    try {
      headerText = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(readFully(channel, 8, (int) headerLength)).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedFileException("safetensors header is not valid UTF-8", e);
    }
    if (!(Json.parse(headerText) instanceof Map<?, ?> header)) {
      throw new MalformedFileException("safetensors header is not a JSON object");
    }
    long dataStart = 8 + headerLength;
    long dataLength = fileSize - dataStart;
    Map<String, String> metadata = new LinkedHashMap<>();
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : header.entrySet()) {
      String name = (String) e.getKey();
      if (name.equals(METADATA)) {
        metadata.putAll(metadata(e.getValue()));
      } else {
        entries.put(name, entry(name, e.getValue(), dataLength));
      }
    }
    checkTiling(entries, dataLength);
    Map<String, NpyArray> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      Entry entry = e.getValue();
      long bytes = entry.end - entry.begin;
      if (bytes > Integer.MAX_VALUE - 8) {
        throw new MalformedFileException("tensor '" + e.getKey() + "' has " + bytes + " bytes: at most 2 GiB per tensor is supported");
      }
      tensors.put(e.getKey(), new NpyArray(entry.dtype, entry.shape, readFully(channel, dataStart + entry.begin, (int) bytes)));
    }
    return new Contents(Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
  }

  /** Writes the tensors in the map's order, with a {@code __metadata__} entry unless it is empty. */
  public static void write(OutputStream out, Map<String, NpyArray> tensors, Map<String, String> metadata)
      throws IOException {
    StringBuilder header = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      header.append(Json.quote(METADATA)).append(":{");
      metadata.forEach((k, v) -> header.append(Json.quote(k)).append(':').append(Json.quote(v)).append(','));
      header.setLength(header.length() - 1);
      header.append("},");
    }
    long offset = 0;
    for (Map.Entry<String, NpyArray> e : tensors.entrySet()) {
      if (e.getKey().equals(METADATA)) {
        throw new IllegalArgumentException("a tensor cannot be named " + METADATA);
      }
      NpyArray a = e.getValue();
      long end = offset + a.data().remaining();
      header.append(Json.quote(e.getKey())).append(":{\"dtype\":\"").append(dtypeName(a.dtype()))
          .append("\",\"shape\":").append(Arrays.toString(a.shape()).replace(" ", ""))
          .append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]},");
      offset = end;
    }
    header.setLength(header.length() - (header.length() > 1 ? 1 : 0));
    header.append('}');
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;
    byte[] headerBytes = Arrays.copyOf(json, padded);
    Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
    out.write(headerBytes);
    for (NpyArray a : tensors.values()) {
      ByteBuffer data = a.data().duplicate();
      byte[] chunk = new byte[Math.min(data.remaining(), 1 << 16)];
      while (data.hasRemaining()) {
        int n = Math.min(chunk.length, data.remaining());
        data.get(chunk, 0, n);
        out.write(chunk, 0, n);
      }
    }
  }

  private record Entry(NpyDtype dtype, long[] shape, long begin, long end) {}

  private static Entry entry(String name, Object value, long dataLength) throws IOException {
    String where = "tensor '" + name + "'";
    if (!(value instanceof Map<?, ?> info)) {
      throw new MalformedFileException(where + ": expected an object with dtype, shape and data_offsets");
    }
    if (!(info.get("dtype") instanceof String dtypeName)) {
      throw new MalformedFileException(where + ": missing string 'dtype'");
    }
    NpyDtype dtype = dtype(where, dtypeName);
    long[] shape = integers(where, "shape", info.get("shape"));
    long[] offsets = integers(where, "data_offsets", info.get("data_offsets"));
    if (offsets.length != 2) {
      throw new MalformedFileException(where + ": data_offsets has " + offsets.length + " numbers: expected [begin, end]");
    }
    long begin = offsets[0];
    long end = offsets[1];
    if (end < begin || end > dataLength) {
      throw new MalformedFileException(where + ": data_offsets [" + begin + ", " + end + "] lie outside the "
          + dataLength + " data bytes of the file");
    }
    long bytes;
    try {
      bytes = Math.multiplyExact(NpyDtype.elementCount(shape), dtype.size());
    } catch (ArithmeticException e) {
      throw new MalformedFileException(where + ": shape " + Arrays.toString(shape) + " is absurdly large", e);
    }
    if (bytes != end - begin) {
      throw new MalformedFileException(where + ": dtype " + dtypeName + " and shape " + Arrays.toString(shape) + " need "
          + bytes + " bytes but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
    }
    return new Entry(dtype, shape, begin, end);
  }

  /** The tensors must cover the data exactly once, in some order (safetensors forbids holes). */
  private static void checkTiling(Map<String, Entry> entries, long dataLength) throws IOException {
    List<Map.Entry<String, Entry>> sorted = new ArrayList<>(entries.entrySet());
    sorted.sort(Comparator.comparingLong((Map.Entry<String, Entry> e) -> e.getValue().begin)
        .thenComparingLong(e -> e.getValue().end));
    long expected = 0;
    for (Map.Entry<String, Entry> e : sorted) {
      if (e.getValue().begin != expected) {
        throw new MalformedFileException("tensor '" + e.getKey() + "' starts at data offset " + e.getValue().begin
            + ": expected " + expected + (e.getValue().begin < expected ? " (it overlaps another tensor)" : " (a gap)"));
      }
      expected = e.getValue().end;
    }
    if (expected != dataLength) {
      throw new MalformedFileException("the tensors cover " + expected + " of the " + dataLength
          + " data bytes: the file has trailing bytes");
    }
  }

  private static Map<String, String> metadata(Object value) throws IOException {
    if (!(value instanceof Map<?, ?> map)) {
      throw new MalformedFileException(METADATA + " is not a JSON object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw new MalformedFileException(METADATA + " value for '" + e.getKey() + "' is not a string");
      }
      out.put((String) e.getKey(), s);
    }
    return out;
  }

  private static long[] integers(String where, String field, Object value) throws IOException {
    if (!(value instanceof List<?> list)) {
      throw new MalformedFileException(where + ": missing array '" + field + "'");
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Long n) || n < 0) {
        throw new MalformedFileException(where + ": " + field + " must hold non-negative integers, found " + list);
      }
      out[i] = n;
    }
    return out;
  }

  private static NpyDtype dtype(String where, String name) throws IOException {
    return switch (name) {
      case "F32" -> NpyDtype.FLOAT32;
      case "F64" -> NpyDtype.FLOAT64;
      case "I32" -> NpyDtype.INT32;
      case "I64" -> NpyDtype.INT64;
      case "U32" -> NpyDtype.UINT32;
      case "U8" -> NpyDtype.UINT8;
      case "BOOL" -> NpyDtype.BOOL;
      default -> throw new MalformedFileException(where + ": unsupported dtype '" + name
          + "': expected F32, F64, I32, I64, U32, U8 or BOOL");
    };
  }

  private static String dtypeName(NpyDtype dtype) {
    return switch (dtype) {
      case FLOAT32 -> "F32";
      case FLOAT64 -> "F64";
      case INT32 -> "I32";
      case INT64 -> "I64";
      case UINT32 -> "U32";
      case UINT8 -> "U8";
      case BOOL -> "BOOL";
    };
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new MalformedFileException("safetensors file is truncated at byte " + (position + buffer.position()));
      }
    }
    return buffer.flip();
  }
}
