package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.testing.Parity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class NpzTest {
  @Test
  void readsCompressedFixtures() {
    NpyArray kernel = Parity.ops().raw("dense/params/kernel");
    assertEquals(NpyDtype.FLOAT32, kernel.dtype());
    assertArrayEquals(new long[] {4, 5}, kernel.shape());
    NpyArray key = Parity.ops().raw("rng/key42");
    assertEquals(NpyDtype.UINT32, key.dtype());
    assertArrayEquals(new int[] {0, 42}, key.toInts());
    assertEquals(0, Parity.ops().raw("losses/ce").shape().length);
  }

  @Test
  void roundTripsEveryDtype() throws IOException {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    arrays.put("f", NpyArray.of(Nd4j.rand(3, 4)));
    arrays.put("d", NpyArray.of(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 2, 2)));
    arrays.put("i", NpyArray.of(Nd4j.createFromArray(1, -2, 3)));
    arrays.put("scalar", NpyArray.of(Nd4j.scalar(2.5f)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npz.write(out, arrays);
    Map<String, NpyArray> back = Npz.read(new ByteArrayInputStream(out.toByteArray()), 1 << 20);
    assertEquals(arrays.keySet(), back.keySet());
    for (String k : arrays.keySet()) {
      assertEquals(arrays.get(k).toINDArray(), back.get(k).toINDArray(), k);
    }
  }

  @Test
  void refusesAnArrayLargerThanTheBudget() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npz.write(out, Map.of("big", NpyArray.of(Nd4j.zeros(100, 100))));
    IOException e = assertThrows(MalformedFileException.class,
        () -> Npz.read(new ByteArrayInputStream(out.toByteArray()), 1000));
    assertTrue(e.getMessage().contains("needs 40000 bytes"), e.getMessage());
  }

  @Test
  void refusesTruncatedData() {
    byte[] npy = Npy.write(NpyArray.of(Nd4j.zeros(10)));
    byte[] cut = java.util.Arrays.copyOf(npy, npy.length - 3);
    IOException e = assertThrows(MalformedFileException.class, () -> Npy.read(new ByteArrayInputStream(cut), 1 << 20));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }
  /** The hand-made malformed seeds of the fuzz tests, refused for the reason each was made for. */
  @Test
  void refusesZipBombsLyingEntriesAndBrokenArchivesSayingWhy() throws IOException {
    assertRefused(NPZ_SEEDS + "bomb", 1 << 20, "needs 16000000 bytes, more than the 1048576 available");
    assertRefused(NPZ_SEEDS + "size-lie", 1 << 20, "more than the 20 available");
    assertRefused(NPZ_SEEDS + "duplicate", 1 << 20, "duplicate entry 'a.npy'");
    assertRefused(NPZ_SEEDS + "trailing-bytes", 1 << 20, "bytes after the array");
    assertRefused(NPZ_SEEDS + "not-zip", 1 << 20, "no arrays found");
    assertRefused(NPZ_SEEDS + "truncated", 1 << 20, "entry 'a.npy'");
    assertRefused(NPY_SEEDS + "shape-overflow", 1 << 20, "more than the 1048576 available");
    assertRefused(NPY_SEEDS + "big-endian", 1 << 20, "unsupported dtype '>f4'");
    assertRefused(NPY_SEEDS + "version-9", 1 << 20, "unsupported .npy version 9");
    assertRefused(NPY_SEEDS + "truncated-header", 1 << 20, "header is truncated");
  }

  private static final String NPZ_SEEDS = "NpzFuzzTestInputs/read/";
  private static final String NPY_SEEDS = "NpyFuzzTestInputs/read/";

  private static void assertRefused(String seed, long maxBytes, String expected) throws IOException {
    byte[] bytes;
    try (var in = NpzTest.class.getResourceAsStream(seed)) {
      bytes = in.readAllBytes();
    }
    IOException e = assertThrows(MalformedFileException.class, () -> {
      if (seed.startsWith(NPY_SEEDS)) {
        Npy.read(new ByteArrayInputStream(bytes), maxBytes);
      } else {
        Npz.read(new ByteArrayInputStream(bytes), maxBytes);
      }
    }, seed);
    assertTrue(e.getMessage().contains(expected), seed + ": " + e.getMessage());
  }
}
