package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FlaxMsgpackTest {
  private static Path resource(String name) throws Exception {
    return Path.of(FlaxMsgpackTest.class.getResource("/parity/ckpt/" + name).toURI());
  }

  /**
   * {@code flax.serialization.to_bytes(params)} of W1 (see the parity README): every array equals the
   * safetensors copy of the same parameters, and writing the tree back, whether as read or rebuilt from
   * ND4J arrays by path, gives Flax's file byte for byte (same key order, same integer widths, same
   * ext and bin headers).
   */
  @Test
  void readsFlaxW1ParamsAndWritesThemBackByteForByte() throws Exception {
    byte[] flax = Files.readAllBytes(resource("w1_params.msgpack"));
    LinkedHashMap<String, Object> tree = FlaxMsgpack.read(flax);
    assertEquals(List.of("conv1", "conv2", "dense"), List.copyOf(tree.keySet()));

    LinkedHashMap<String, INDArray> arrays = FlaxMsgpack.arrays(tree);
    Map<String, INDArray> reference = ParameterFiles.load(resource("w1_params.safetensors"));
    assertEquals(reference.keySet(), arrays.keySet());
    reference.forEach((path, expected) -> {
      INDArray found = arrays.get(path);
      assertEquals(DataType.FLOAT, found.dataType(), path);
      assertArrayEquals(expected.shape(), found.shape(), path);
      assertEquals(expected, found, path);
    });

    assertArrayEquals(flax, FlaxMsgpack.write(tree), "the tree as read");
    assertArrayEquals(flax, FlaxMsgpack.write(FlaxMsgpack.nest(arrays)), "the tree rebuilt from ND4J arrays");
  }

  @Test
  void roundTripsEveryDtypeAndPlainValues() throws IOException {
    Map<String, Object> byPath = new LinkedHashMap<>();
    byPath.put("a/f32", Nd4j.rand(DataType.FLOAT, 2, 3));
    byPath.put("a/f64", Nd4j.rand(DataType.DOUBLE, 4));
    byPath.put("b/i32", Nd4j.createFromArray(1, -2, 3));
    byPath.put("b/i64", Nd4j.scalar(7L));
    byPath.put("b/u8", Nd4j.createFromArray(new byte[] {1, 2}).castTo(DataType.UBYTE));
    byPath.put("b/bool", Nd4j.createFromArray(true, false));
    byPath.put("c/empty", Nd4j.create(DataType.FLOAT, 0, 3));
    byPath.put("step", 300L);
    byPath.put("name", "W1");
    LinkedHashMap<String, Object> back = FlaxMsgpack.read(FlaxMsgpack.write(FlaxMsgpack.nest(byPath)));
    LinkedHashMap<String, Object> leaves = FlaxMsgpack.flatten(back);
    assertEquals(List.copyOf(byPath.keySet()), List.copyOf(leaves.keySet()));
    byPath.forEach((path, value) -> {
      if (value instanceof INDArray expected) {
        assertEquals(expected, ((NpyArray) leaves.get(path)).toINDArray(), path);
      } else {
        assertEquals(value, leaves.get(path), path);
      }
    });
  }

  @Test
  void emptyMapsSurviveAsStateDictsOfEmptyStates() throws IOException {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("0", new LinkedHashMap<>());
    tree.put("1", Map.of("count", 3L));
    byte[] bytes = FlaxMsgpack.write(tree);
    assertArrayEquals(new byte[] {(byte) 0x82, (byte) 0xa1, '0', (byte) 0x80, (byte) 0xa1, '1', (byte) 0x81,
        (byte) 0xa5, 'c', 'o', 'u', 'n', 't', 3}, bytes);
    assertEquals(tree, FlaxMsgpack.read(bytes));
  }

  @Test
  void refusesWrongExtTypesAndBadArrayPayloads() {
    // {"x": ext 5 of one byte}
    byte[] unknown = {(byte) 0x81, (byte) 0xa1, 'x', (byte) 0xd4, 5, 0};
    IOException e = assertThrows(IOException.class, () -> FlaxMsgpack.read(unknown));
    assertTrue(e.getMessage().contains("expected Flax ext type 1 (array) or 3") && e.getMessage().contains("ext type 5")
        && e.getMessage().contains("at byte 5"), e.getMessage());

    // {"x": ext 1 with payload [[2], "float32", 4 bytes]}: two floats need 8 bytes
    byte[] shortData = {(byte) 0x81, (byte) 0xa1, 'x', (byte) 0xc7, 17, 1,
        (byte) 0x93, (byte) 0x91, 2, (byte) 0xa7, 'f', 'l', 'o', 'a', 't', '3', '2', (byte) 0xc4, 4, 0, 0, 0, 0};
    e = assertThrows(IOException.class, () -> FlaxMsgpack.read(shortData));
    assertTrue(e.getMessage().contains("need 8 bytes, found 4"), e.getMessage());

    // {"x": ext 1 with payload [[1], "float16", 2 bytes]}
    byte[] half = {(byte) 0x81, (byte) 0xa1, 'x', (byte) 0xc7, 15, 1,
        (byte) 0x93, (byte) 0x91, 1, (byte) 0xa7, 'f', 'l', 'o', 'a', 't', '1', '6', (byte) 0xc4, 2, 0, 0};
    e = assertThrows(IOException.class, () -> FlaxMsgpack.read(half));
    assertTrue(e.getMessage().contains("unsupported dtype 'float16'"), e.getMessage());
  }

  @Test
  void refusesChunkedArraysAndNonMapTopLevel() {
    byte[] chunked = FlaxMsgpack.write(Map.of("emb", Map.of("__msgpack_chunked_array__", true)));
    IOException e = assertThrows(IOException.class, () -> FlaxMsgpack.read(chunked));
    assertTrue(e.getMessage().contains("'emb' is an array Flax cut into chunks"), e.getMessage());
    e = assertThrows(IOException.class, () -> FlaxMsgpack.read(new byte[] {(byte) 0x91, 1}));
    assertTrue(e.getMessage().contains("must be a msgpack map"), e.getMessage());
  }

  @Test
  void nestRefusesAPathThroughALeaf() {
    Map<String, Object> byPath = new LinkedHashMap<>();
    byPath.put("dense", 1L);
    byPath.put("dense/kernel", 2L);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlaxMsgpack.nest(byPath));
    assertTrue(e.getMessage().contains("'dense/kernel' runs through the leaf 'dense'"), e.getMessage());
  }
}
