package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.testing.Parity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class SafeTensorsTest {
  @TempDir Path dir;

  private static Path fixture() throws URISyntaxException {
    return Path.of(SafeTensorsTest.class.getResource("/parity/ckpt/w1_params.safetensors").toURI());
  }

  /**
   * The checkpoint is W1 initialised from PRNGKey(0) and written by the safetensors library; the
   * W1 case of flax_models.npz is the same init (make_fixtures.py: model.init(PRNGKey(0), x4)), so
   * the values must be identical.
   */
  @Test
  void readsTheSafetensorsLibrarysW1Checkpoint() throws Exception {
    SafeTensors.Contents contents = SafeTensors.read(fixture());
    assertEquals(Map.of("format", "flax"), contents.metadata());
    assertEquals(List.of("conv1/bias", "conv1/kernel", "conv2/bias", "conv2/kernel", "dense/bias", "dense/kernel"),
        List.copyOf(contents.tensors().keySet()));
    Map<String, long[]> shapes = Map.of("conv1/kernel", new long[] {3, 3, 1, 32}, "conv1/bias", new long[] {32},
        "conv2/kernel", new long[] {3, 3, 32, 64}, "conv2/bias", new long[] {64},
        "dense/kernel", new long[] {50176, 10}, "dense/bias", new long[] {10});
    for (Map.Entry<String, NpyArray> e : contents.tensors().entrySet()) {
      NpyArray flax = Parity.models().raw("W1/params/" + e.getKey());
      assertEquals(NpyDtype.FLOAT32, e.getValue().dtype());
      assertArrayEquals(shapes.get(e.getKey()), e.getValue().shape(), e.getKey());
      assertArrayEquals(flax.toFloats(), e.getValue().toFloats(), 0f, e.getKey());
    }
  }

  @Test
  void roundTripsEveryDtypeAndMetadata() throws IOException {
    Map<String, NpyArray> tensors = new LinkedHashMap<>();
    tensors.put("a/f32", NpyArray.of(Nd4j.rand(3, 4)));
    tensors.put("f64", NpyArray.of(Nd4j.rand(DataType.DOUBLE, 2, 2)));
    tensors.put("i32", NpyArray.of(Nd4j.createFromArray(1, -2, 3)));
    tensors.put("i64", NpyArray.of(Nd4j.createFromArray(1L, -2L)));
    tensors.put("u8", NpyArray.of(Nd4j.createFromArray(new byte[] {1, 2, 3}).castTo(DataType.UBYTE)));
    tensors.put("bool", NpyArray.of(Nd4j.createFromArray(true, false, true)));
    tensors.put("scalar", NpyArray.of(Nd4j.scalar(2.5f)));
    tensors.put("empty \"quoted\"", NpyArray.of(Nd4j.create(DataType.FLOAT, 0, 3)));
    Path file = dir.resolve("t.safetensors");
    try (var out = Files.newOutputStream(file)) {
      SafeTensors.write(out, tensors, Map.of("note", "ünïcode \\ \n"));
    }
    SafeTensors.Contents back = SafeTensors.read(file);
    assertEquals(Map.of("note", "ünïcode \\ \n"), back.metadata());
    assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.tensors().keySet()));
    for (String k : tensors.keySet()) {
      assertEquals(tensors.get(k).dtype(), back.tensors().get(k).dtype(), k);
      assertArrayEquals(tensors.get(k).shape(), back.tensors().get(k).shape(), k);
      assertEquals(tensors.get(k).data(), back.tensors().get(k).data(), k);
    }
    long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, (8 + headerLength) % 8, "data starts 8-byte aligned");
  }

  private IOException readFails(byte[] bytes) throws IOException {
    Path file = dir.resolve("bad.safetensors");
    Files.write(file, bytes);
    return assertThrows(MalformedFileException.class, () -> SafeTensors.read(file));
  }

  private static byte[] file(String header, int dataBytes) {
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(json.length).put(json).array();
  }

  private static void assertMentions(IOException e, String text) {
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }

  @Test
  void refusesTruncatedFiles() throws Exception {
    byte[] whole = Files.readAllBytes(fixture());
    assertMentions(readFails(Arrays.copyOf(whole, 5)), "too short");
    assertMentions(readFails(Arrays.copyOf(whole, 300)), "runs past the end of the file");
    assertMentions(readFails(Arrays.copyOf(whole, whole.length - 4)), "'dense/kernel': data_offsets [75304, 2082344] lie outside");
  }

  @Test
  void refusesAbsurdHeaders() throws IOException {
    byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-2).array();
    assertMentions(readFails(huge), "absurd safetensors header length 18446744073709551614");
    byte[] big = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array();
    assertMentions(readFails(big), "absurd");
    assertMentions(readFails(file("[1]", 0)), "not a JSON object");
    assertMentions(readFails(file("{\"x\":", 0)), "malformed JSON");
    assertMentions(readFails(file("[".repeat(100), 0)), "nested deeper");
    assertMentions(readFails(file("{\"x\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2)),
        "unsupported dtype 'F16'");
    assertMentions(readFails(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8)),
        "need 12 bytes but data_offsets [0, 8] hold 8");
    assertMentions(readFails(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8)),
        "absurdly large");
    assertMentions(readFails(file("{\"x\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4)),
        "non-negative integers");
    assertMentions(readFails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8)), "overlaps");
    assertMentions(readFails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8)),
        "trailing bytes");
    assertMentions(readFails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":1}", 4)),
        "duplicate key");
  }
}
