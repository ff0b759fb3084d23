package dev.kiln.runtime.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.io.FlaxMsgpack;
import dev.kiln.runtime.io.FlaxTrainState;
import dev.kiln.runtime.io.MsgPack;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.OptimizerState;
import dev.kiln.runtime.random.PRNGKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointTest {
  @TempDir Path dir;

  private static final TrainingPosition POSITION =
      new TrainingPosition(2, 5, 45, new PRNGKey(0xdeadbeef, 42), 32, 640);

  private static Checkpoint checkpoint() {
    LinkedHashMap<String, INDArray> params = new LinkedHashMap<>();
    params.put("dense/kernel", Nd4j.rand(DataType.FLOAT, 3, 2));
    params.put("dense/bias", Nd4j.rand(DataType.FLOAT, 2));
    Optimizer adam = Optax.adam(1e-3);
    OptimizerState state = adam.init(List.copyOf(params.values()));
    state.setStep(45);
    Map<String, Object> history = new LinkedHashMap<>();
    history.put("epochs", List.of(Map.of("train_loss", 0.5)));
    return new Checkpoint("Dense", POSITION, FlaxTrainState.stateDict(params, adam, state), history);
  }

  @Test
  void roundTripsAtomically() throws IOException {
    Path file = dir.resolve("checkpoint.kiln");
    Checkpoint saved = checkpoint();
    saved.save(file);
    saved.save(file); // replaces the existing file
    Checkpoint back = Checkpoint.load(file);
    assertEquals("Dense", back.model());
    assertEquals(POSITION, back.position());
    assertEquals(saved.history(), back.history());
    assertArrayEquals(FlaxMsgpack.write(saved.trainState()), FlaxMsgpack.write(back.trainState()));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file left");
    }
  }

  /** The envelope is plain msgpack with the format, version, checksum and content in that order. */
  @Test
  void fileIsAMsgpackEnvelope() throws IOException {
    Path file = dir.resolve("c.kiln");
    checkpoint().save(file);
    Map<?, ?> envelope = (Map<?, ?>) MsgPack.read(Files.readAllBytes(file), null);
    assertEquals(List.of("format", "version", "sha256", "content"), List.copyOf(envelope.keySet()));
    assertEquals("kiln-checkpoint", envelope.get("format"));
    assertEquals(1L, envelope.get("version"));
    Map<String, Object> content = FlaxMsgpack.read((byte[]) envelope.get("content"));
    assertEquals(List.of("model", "position", "train_state", "history"), List.copyOf(content.keySet()));
  }

  @Test
  void everyFlippedContentByteFailsTheChecksum() throws IOException {
    Path file = dir.resolve("c.kiln");
    checkpoint().save(file);
    byte[] bytes = Files.readAllBytes(file);
    for (int at : new int[] {bytes.length - 1, bytes.length / 2, bytes.length - 300}) {
      byte[] damaged = bytes.clone();
      damaged[at] ^= 0x10;
      Files.write(file, damaged);
      IOException e = assertThrows(IOException.class, () -> Checkpoint.load(file));
      assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains("the file is damaged")
          && e.getMessage().startsWith(file.toString()), e.getMessage());
    }
  }

  @Test
  void refusesTruncatedForeignAndNewerFiles() throws IOException {
    Path file = dir.resolve("c.kiln");
    checkpoint().save(file);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 10));
    IOException e = assertThrows(IOException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("not a Kiln checkpoint (or a truncated one)"), e.getMessage());

    Files.write(file, FlaxMsgpack.write(Map.of("dense", Map.of("kernel", Nd4j.ones(2)))));
    e = assertThrows(IOException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("expected a msgpack map with format 'kiln-checkpoint'"), e.getMessage());

    Map<String, Object> newer = new LinkedHashMap<>();
    newer.put("format", Checkpoint.FORMAT);
    newer.put("version", 2L);
    Files.write(file, MsgPack.write(newer, null));
    e = assertThrows(IOException.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("checkpoint format version 2: this Kiln reads version 1"), e.getMessage());
  }
}
