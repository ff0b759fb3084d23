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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ParameterFilesTest {
  @TempDir Path dir;

  private static Map<String, INDArray> params() {
    Map<String, INDArray> params = new LinkedHashMap<>();
    params.put("conv1/kernel", Nd4j.rand(3, 3, 1, 4));
    params.put("conv1/bias", Nd4j.rand(4));
    params.put("dense/kernel", Nd4j.rand(DataType.DOUBLE, 5, 2));
    params.put("step", Nd4j.scalar(7L));
    return params;
  }

  @Test
  void roundTripsBothFormatsAtomically() throws IOException {
    for (String name : List.of("p.npz", "p.safetensors", "p.msgpack")) {
      Path file = dir.resolve(name);
      Map<String, INDArray> params = params();
      ParameterFiles.save(file, params);
      ParameterFiles.save(file, params); // replaces the existing file
      Map<String, INDArray> back = ParameterFiles.load(file);
      assertEquals(List.copyOf(params.keySet()), List.copyOf(back.keySet()), name);
      params.forEach((k, v) -> assertEquals(v, back.get(k), name + " " + k));
      try (Stream<Path> files = Files.list(dir)) {
        assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
      }
    }
  }

  @Test
  void refusesUnknownExtensions() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParameterFiles.save(dir.resolve("p.pickle"), params()));
    assertTrue(e.getMessage().contains(".npz, .safetensors or .msgpack"), e.getMessage());
  }

  /** Flax's own W1 file loads like its safetensors twin; running statistics go under Flax's batch_stats. */
  @Test
  void msgpackIsFlaxToBytes() throws Exception {
    Path flax = Path.of(ParameterFilesTest.class.getResource("/parity/ckpt/w1_params.msgpack").toURI());
    Path twin = Path.of(ParameterFilesTest.class.getResource("/parity/ckpt/w1_params.safetensors").toURI());
    assertEquals(ParameterFiles.load(twin), ParameterFiles.load(flax));
    Path copy = dir.resolve("w1.msgpack");
    ParameterFiles.save(copy, ParameterFiles.load(flax));
    assertArrayEquals(Files.readAllBytes(flax), Files.readAllBytes(copy));

    Map<String, INDArray> withStats = new LinkedHashMap<>();
    withStats.put("bn/scale", Nd4j.ones(DataType.FLOAT, 2));
    withStats.put("batch_stats/bn/mean", Nd4j.zeros(DataType.FLOAT, 2));
    Path file = dir.resolve("bn.msgpack");
    ParameterFiles.save(file, withStats);
    assertEquals(List.of("params", "batch_stats"), List.copyOf(FlaxMsgpack.read(Files.readAllBytes(file)).keySet()));
    assertEquals(withStats, ParameterFiles.load(file));
  }

  @Test
  void mismatchListsEveryProblem() {
    Map<String, long[]> expected = new LinkedHashMap<>();
    expected.put("conv1/kernel", new long[] {3, 3, 1, 32});
    expected.put("conv1/bias", new long[] {32});
    expected.put("dense/kernel", new long[] {50176, 10});
    expected.put("dense/bias", new long[] {10});
    Map<String, INDArray> found = new LinkedHashMap<>();
    found.put("conv1/kernel", Nd4j.zeros(3, 3, 1, 32));
    found.put("dense/kernel", Nd4j.zeros(784, 10));
    found.put("dense/bias", Nd4j.zeros(5));
    found.put("hidden/kernel", Nd4j.zeros(784, 128));
    ParameterMismatchException e = assertThrows(ParameterMismatchException.class,
        () -> ParameterMismatchException.check(expected, found, "W1"));
    assertEquals("parameters do not match model W1: 1 missing, 1 unexpected, 2 with the wrong shape\n"
        + "  missing: conv1/bias [32]\n"
        + "  unexpected: hidden/kernel [784, 128]\n"
        + "  dense/kernel: expected [50176, 10], found [784, 10]\n"
        + "  dense/bias: expected [10], found [5]", e.getMessage());
    assertEquals(List.of("conv1/bias [32]"), e.missing());
    assertEquals(2, e.wrongShapes().size());
    found.put("conv1/bias", Nd4j.zeros(32));
    found.put("dense/kernel", Nd4j.zeros(50176, 10));
    found.put("dense/bias", Nd4j.zeros(10));
    found.remove("hidden/kernel");
    ParameterMismatchException.check(expected, found, "W1");
  }
}
