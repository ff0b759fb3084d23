package dev.kiln.runtime.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Flax's checkpoint bytes: what {@code flax.serialization.to_bytes} writes and {@code from_bytes} reads.
 * A state dict (nested maps keyed by Flax path segments; tuples and lists become maps keyed
 * {@code "0"}, {@code "1"}, ...; named tuples maps keyed by field) encoded as {@link MsgPack}, each array
 * leaf as ext type 1 whose payload is the msgpack of {@code [shape, dtype name, row-major
 * little-endian bytes]} ({@code [[3, 3, 1, 32], "float32", <bin>]}). NumPy scalars are ext type 3 with
 * the same payload; they are read as rank-0 arrays and written back as ext 1 arrays, which Flax
 * restores just the same.
 *
 * <p>Trees here are {@code Map<String, Object>} whose values are maps, {@link NpyArray} leaves (or, when
 * writing, {@link INDArray} leaves) and plain msgpack values (numbers, strings, ...). Dtypes float32,
 * float64, int32, int64, uint32, uint8 and bool are supported; others (bfloat16, complex) and Flax's
 * chunked form of arrays over 1 GiB are refused with a message saying so.
 */
public final class FlaxMsgpack {
  /** msgpack ext type of an array ({@code flax.serialization._MsgpackExtType.ndarray}). */
  static final int NDARRAY = 1;
  /** msgpack ext type of a complex Python number, which Kiln has no use for. */
  static final int NATIVE_COMPLEX = 2;
  /** msgpack ext type of a NumPy scalar. */
  static final int NPSCALAR = 3;
  /** The key by which Flax marks an array it cut into chunks. */
  private static final String CHUNKED = "__msgpack_chunked_array__";

  private FlaxMsgpack() {}

  /** {@code flax.serialization.msgpack_restore} of bytes whose top level is a state dict. */
  public static LinkedHashMap<String, Object> read(byte[] bytes) throws IOException {
    Object value = MsgPack.read(bytes, FlaxMsgpack::decodeExt);
    if (!(value instanceof LinkedHashMap<?, ?> map)) {
      throw new MalformedFileException("a Flax state dict must be a msgpack map at the top level, found "
          + (value == null ? "nil" : value.getClass().getSimpleName()));
    }
    refuseChunks(map, "");
    @SuppressWarnings("unchecked")
    LinkedHashMap<String, Object> tree = (LinkedHashMap<String, Object>) map;
    return tree;
  }

  /** {@code flax.serialization.msgpack_serialize} of a state dict, in the maps' order. */
  public static byte[] write(Map<String, ?> tree) {
    return MsgPack.write(tree, FlaxMsgpack::encodeExt);
  }

  /**
   * The leaves of a tree keyed by their path, segments joined with {@code /} ({@code conv1/kernel}), in
   * tree order. Empty maps have no leaves and vanish.
   */
  public static LinkedHashMap<String, Object> flatten(Map<String, ?> tree) {
    LinkedHashMap<String, Object> leaves = new LinkedHashMap<>();
    flatten(tree, "", leaves);
    return leaves;
  }

  private static void flatten(Map<String, ?> tree, String prefix, Map<String, Object> leaves) {
    tree.forEach((key, value) -> {
      if (value instanceof Map<?, ?> child) {
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) child;
        flatten(typed, prefix + key + "/", leaves);
      } else {
        leaves.put(prefix + key, value);
      }
    });
  }

  /** The inverse of {@link #flatten}: nested maps built in the order paths first appear. */
  public static LinkedHashMap<String, Object> nest(Map<String, ?> byPath) {
    LinkedHashMap<String, Object> root = new LinkedHashMap<>();
    byPath.forEach((path, leaf) -> {
      String[] segments = path.split("/", -1);
      Map<String, Object> node = root;
      for (int i = 0; i < segments.length - 1; i++) {
        Object child = node.computeIfAbsent(segments[i], k -> new LinkedHashMap<String, Object>());
        if (!(child instanceof Map<?, ?>)) {
          throw new IllegalArgumentException("path '" + path + "' runs through the leaf '"
              + String.join("/", Arrays.copyOf(segments, i + 1)) + "'");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> next = (Map<String, Object>) child;
        node = next;
      }
      if (node.putIfAbsent(segments[segments.length - 1], leaf) != null) {
        throw new IllegalArgumentException("path '" + path + "' is both a leaf and a subtree");
      }
    });
    return root;
  }

  /**
   * The array leaves of a tree as ND4J arrays keyed by path (see {@link #flatten}).
   *
   * @throws IOException naming the path of a leaf that is not an array
   */
  public static LinkedHashMap<String, INDArray> arrays(Map<String, ?> tree) throws IOException {
    LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : flatten(tree).entrySet()) {
      if (!(e.getValue() instanceof NpyArray array)) {
        throw new MalformedFileException("'" + e.getKey() + "': expected an array, found "
            + (e.getValue() == null ? "nil" : e.getValue().getClass().getSimpleName() + " " + e.getValue()));
      }
      out.put(e.getKey(), array.toINDArray());
    }
    return out;
  }

  private static Object decodeExt(int type, byte[] data, long offset) throws IOException {
    return switch (type) {
      case NDARRAY, NPSCALAR -> array(data, offset, type == NPSCALAR);
      case NATIVE_COMPLEX -> throw new MalformedFileException("msgpack at byte " + offset
          + ": a complex number (Flax ext type 2), which Kiln does not support");
      default -> throw new MalformedFileException("msgpack at byte " + offset + ": expected Flax ext type 1 (array) or 3"
          + " (NumPy scalar), found ext type " + type);
    };
  }

  /** The payload of an array: msgpack {@code [shape, dtype name, bytes]}. */
  private static NpyArray array(byte[] payload, long offset, boolean scalar) throws IOException {
    String where = "Flax array at byte " + offset;
    Object decoded = MsgPack.read(payload, offset, (type, data, at) -> {
      throw new MalformedFileException(where + ": expected no extension inside an array payload, found ext type " + type);
    });
    if (!(decoded instanceof List<?> parts) || parts.size() != 3) {
      throw new MalformedFileException(where + ": expected [shape, dtype, bytes], found " + describe(decoded));
    }
    if (!(parts.get(0) instanceof List<?> dims)) {
      throw new MalformedFileException(where + ": expected a shape list, found " + describe(parts.get(0)));
    }
    long[] shape = new long[dims.size()];
    for (int i = 0; i < shape.length; i++) {
      if (!(dims.get(i) instanceof Long d) || d < 0) {
        throw new MalformedFileException(where + ": expected non-negative dimensions, found shape " + dims);
      }
      shape[i] = d;
    }
    if (scalar && shape.length != 0) {
      throw new MalformedFileException(where + ": a NumPy scalar must have shape (), found " + dims);
    }
    String dtypeName;
    if (parts.get(1) instanceof String s) {
      dtypeName = s;
    } else if (parts.get(1) instanceof byte[] raw) { // msgpack without use_bin_type writes names as raw bytes
      dtypeName = new String(raw, StandardCharsets.US_ASCII);
    } else {
      throw new MalformedFileException(where + ": expected a dtype name, found " + describe(parts.get(1)));
    }
    NpyDtype dtype = dtype(dtypeName);
    if (dtype == null) {
      throw new MalformedFileException(where + ": unsupported dtype '" + dtypeName
          + "': expected float32, float64, int32, int64, uint32, uint8 or bool");
    }
    if (!(parts.get(2) instanceof byte[] data)) {
      throw new MalformedFileException(where + ": expected the array's bytes, found " + describe(parts.get(2)));
    }
    long needed;
    try {
      needed = Math.multiplyExact(NpyDtype.elementCount(shape), dtype.size());
    } catch (ArithmeticException e) {
      throw new MalformedFileException(where + ": shape " + Arrays.toString(shape) + " is absurdly large", e);
    }
    if (needed != data.length) {
      throw new MalformedFileException(where + ": dtype " + dtypeName + " and shape " + Arrays.toString(shape) + " need "
          + needed + " bytes, found " + data.length);
    }
    return new NpyArray(dtype, shape, ByteBuffer.wrap(data));
  }

  private static MsgPack.Ext encodeExt(Object value) {
    NpyArray array;
    if (value instanceof NpyArray a) {
      array = a;
    } else if (value instanceof INDArray a) {
      array = NpyArray.of(a);
    } else {
      return null;
    }
    List<Object> shape = new ArrayList<>();
    for (long d : array.shape()) {
      shape.add(d);
    }
    byte[] data = new byte[array.data().remaining()];
    array.data().duplicate().get(data);
    ByteArrayOutputStream payload = new ByteArrayOutputStream(data.length + 32);
    try {
      MsgPack.write(payload, List.of(shape, name(array.dtype()), data), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array stream does not fail
    }
    return new MsgPack.Ext(NDARRAY, payload.toByteArray());
  }

  /** NumPy's {@code dtype.name}. */
  private static String name(NpyDtype dtype) {
    return switch (dtype) {
      case FLOAT32 -> "float32";
      case FLOAT64 -> "float64";
      case INT32 -> "int32";
      case INT64 -> "int64";
      case UINT32 -> "uint32";
      case UINT8 -> "uint8";
      case BOOL -> "bool";
    };
  }

  private static NpyDtype dtype(String name) {
    for (NpyDtype d : NpyDtype.values()) {
      if (name(d).equals(name)) {
        return d;
      }
    }
    return null;
  }

  private static void refuseChunks(Map<?, ?> tree, String path) throws IOException {
    if (tree.containsKey(CHUNKED)) {
      throw new MalformedFileException("'" + path + "' is an array Flax cut into chunks (over 1 GiB), which Kiln does not read");
    }
    for (Map.Entry<?, ?> e : tree.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> child) {
        refuseChunks(child, path.isEmpty() ? (String) e.getKey() : path + "/" + e.getKey());
      }
    }
  }

  private static String describe(Object value) {
    return value == null ? "nil" : value.getClass().getSimpleName();
  }
}
