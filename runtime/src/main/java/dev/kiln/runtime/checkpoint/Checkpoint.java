package dev.kiln.runtime.checkpoint;

import dev.kiln.runtime.io.AtomicFiles;
import dev.kiln.runtime.io.FlaxMsgpack;
import dev.kiln.runtime.io.MalformedFileException;
import dev.kiln.runtime.io.MsgPack;
import dev.kiln.runtime.random.PRNGKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A training checkpoint file ({@code checkpoint.kiln}): the model's name, the {@link TrainingPosition},
 * the whole training state as Flax serialises a {@code TrainState} ({@code {step, params, opt_state}},
 * see {@link dev.kiln.runtime.io.FlaxTrainState}) and the run's history so far, as the training loop
 * records it.
 *
 * <p>The file is one msgpack map {@code {"format": "kiln-checkpoint", "version": 1, "sha256": <32
 * bytes>, "content": <bytes>}}, where {@code content} is the Flax-style msgpack of
 * {@code {model, position, train_state, history}} and {@code sha256} its SHA-256. Reading checks the
 * format, the version and the checksum before it decodes the content, so a damaged or foreign file
 * fails with a message saying which, never with a half-restored run. Saving is atomic
 * ({@link AtomicFiles}): a run killed while saving leaves the previous checkpoint whole. In Python,
 * {@code flax.serialization.msgpack_restore} of the file, then of its {@code content}, gives the same
 * trees.
 */
public record Checkpoint(String model, TrainingPosition position, Map<String, Object> trainState,
    Map<String, Object> history) {
  /** What the {@code format} entry says. */
  public static final String FORMAT = "kiln-checkpoint";
  /** The version this class writes and the only one it reads. */
  public static final int VERSION = 1;
  /** Java arrays hold the content; bigger checkpoints are refused when saving and loading. */
  private static final long MAX_BYTES = Integer.MAX_VALUE - 64;

  public Checkpoint {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(trainState, "trainState");
    Objects.requireNonNull(history, "history");
  }

  /** Writes the checkpoint atomically, replacing any file at {@code path}. */
  public void save(Path path) throws IOException {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("model", model);
    content.put("position", position(position));
    content.put("train_state", trainState);
    content.put("history", history);
    byte[] bytes = FlaxMsgpack.write(content);
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("format", FORMAT);
    file.put("version", (long) VERSION);
    file.put("sha256", sha256(bytes));
    file.put("content", bytes);
    byte[] whole = MsgPack.write(file, null);
    if (whole.length > MAX_BYTES) {
      throw new IOException("checkpoint of " + whole.length + " bytes: at most 2 GiB is supported");
    }
    AtomicFiles.write(path, out -> out.write(whole));
  }

  /**
   * Reads and verifies a checkpoint.
   *
   * @throws IOException naming the file and what is wrong: not a checkpoint, another version, a
   *     checksum mismatch (the file was damaged), or content that does not decode
   */
  public static Checkpoint load(Path path) throws IOException {
    try {
      return read(readAll(path));
    } catch (IOException e) {
      throw MalformedFileException.at(path, e);
    }
  }

  private static byte[] readAll(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      if (channel.size() > MAX_BYTES) {
        throw new MalformedFileException("checkpoint of " + channel.size() + " bytes: at most 2 GiB is supported");
      }
    }
    return Files.readAllBytes(path);
  }

  private static Checkpoint read(byte[] bytes) throws IOException {
    Object decoded;
    try {
      // extension values are kept undecoded, so a Flax file fails the format check below, not here
      decoded = MsgPack.read(bytes, (type, data, offset) -> new MsgPack.Ext(type, data));
    } catch (IOException e) {
      throw new MalformedFileException("not a Kiln checkpoint (or a truncated one): " + e.getMessage(), e);
    }
    if (!(decoded instanceof Map<?, ?> file) || !FORMAT.equals(file.get("format"))) {
      throw new MalformedFileException("not a Kiln checkpoint: expected a msgpack map with format '" + FORMAT + "'");
    }
    if (!(file.get("version") instanceof Long version) || version != VERSION) {
      throw new MalformedFileException("checkpoint format version " + file.get("version") + ": this Kiln reads version "
          + VERSION);
    }
    if (!(file.get("sha256") instanceof byte[] expected) || !(file.get("content") instanceof byte[] content)) {
      throw new MalformedFileException("checkpoint lacks its sha256 or content bytes");
    }
    byte[] actual = sha256(content);
    if (!MessageDigest.isEqual(expected, actual)) {
      throw new MalformedFileException("checksum mismatch: the content's SHA-256 is " + HexFormat.of().formatHex(actual)
          + " but the file records " + HexFormat.of().formatHex(expected) + "; the file is damaged");
    }
    Map<String, Object> tree = FlaxMsgpack.read(content);
    if (!(tree.get("model") instanceof String model)) {
      throw new IOException("checkpoint content lacks the model's name");
    }
    return new Checkpoint(model, position(map(tree, "position")), map(tree, "train_state"), map(tree, "history"));
  }

  private static Map<String, Object> position(TrainingPosition p) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("epochs_done", (long) p.epochsDone());
    map.put("batches_done", (long) p.batchesDone());
    map.put("step", p.step());
    map.put("key", List.of(Integer.toUnsignedLong(p.key().hi()), Integer.toUnsignedLong(p.key().lo())));
    map.put("batch_size", (long) p.batchSize());
    map.put("examples", (long) p.examples());
    return map;
  }

  private static TrainingPosition position(Map<String, Object> map) throws IOException {
    if (!(map.get("key") instanceof List<?> key) || key.size() != 2
        || !(key.get(0) instanceof Long hi) || !(key.get(1) instanceof Long lo)) {
      throw new IOException("checkpoint position: expected key [hi, lo], found " + map.get("key"));
    }
    try {
      return new TrainingPosition(count(map, "epochs_done"), count(map, "batches_done"), number(map, "step"),
          new PRNGKey(hi.intValue(), lo.intValue()), count(map, "batch_size"), count(map, "examples"));
    } catch (IllegalArgumentException e) {
      throw new IOException("checkpoint position: " + e.getMessage(), e);
    }
  }

  private static int count(Map<String, Object> map, String name) throws IOException {
    long n = number(map, name);
    if (n > Integer.MAX_VALUE) {
      throw new IOException("checkpoint position: " + name + " " + n + " is out of range");
    }
    return (int) n;
  }

  private static long number(Map<String, Object> map, String name) throws IOException {
    if (!(map.get(name) instanceof Long n)) {
      throw new IOException("checkpoint position: expected an integer " + name + ", found " + map.get(name));
    }
    return n;
  }

  private static Map<String, Object> map(Map<String, Object> tree, String name) throws IOException {
    if (!(tree.get(name) instanceof Map<?, ?> map)) {
      throw new IOException("checkpoint content: expected a map " + name + ", found " + tree.get(name));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> typed = (Map<String, Object>) map;
    return typed;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
