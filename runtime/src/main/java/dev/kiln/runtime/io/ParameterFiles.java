package dev.kiln.runtime.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's parameters on disk, keyed by Flax path ({@code conv1/kernel}): {@code .npz} (what
 * {@code np.savez(**flat_params)} writes) or {@code .safetensors} (what
 * {@code safetensors.flax.save_file} writes), chosen by the file's extension. Saving is atomic: the
 * file is written to a temporary file in the same directory, synced to disk and renamed over the
 * target, so a crash leaves either the old file or the new one, never a torn one.
 */
public final class ParameterFiles {
  /** Written to a safetensors header, as Flax's safetensors files carry it. */
  private static final Map<String, String> SAFETENSORS_METADATA = Map.of("format", "flax");

  private ParameterFiles() {}

  private enum Format {
    NPZ,
    SAFETENSORS;

    static Format of(Path path) {
      String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
      if (name.endsWith(".npz")) {
        return NPZ;
      } else if (name.endsWith(".safetensors")) {
        return SAFETENSORS;
      }
      throw new IllegalArgumentException("cannot tell the format of " + path
          + ": expected a name ending in .npz or .safetensors");
    }
  }

  /** Writes the parameters, in the map's order, atomically replacing any existing file. */
  public static void save(Path path, Map<String, INDArray> byFlaxPath) throws IOException {
    Format format = Format.of(path);
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    byFlaxPath.forEach((name, array) -> arrays.put(name, NpyArray.of(array)));
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
        switch (format) {
          case NPZ -> Npz.write(out, arrays);
          case SAFETENSORS -> SafeTensors.write(out, arrays, SAFETENSORS_METADATA);
        }
        out.flush();
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(dir);
  }

  /** Reads every parameter, in file order, as ND4J arrays of the stored data type. */
  public static LinkedHashMap<String, INDArray> load(Path path) throws IOException {
    Map<String, NpyArray> arrays = switch (Format.of(path)) {
      case NPZ -> Npz.read(path);
      case SAFETENSORS -> SafeTensors.read(path).tensors();
    };
    LinkedHashMap<String, INDArray> out = new LinkedHashMap<>();
    arrays.forEach((name, array) -> out.put(name, array.toINDArray()));
    return out;
  }

  /**
   * Makes the rename itself durable. Some platforms cannot open a directory for syncing; there the
   * rename's durability is the file system's, which is the best available.
   */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException unsupported) {
      // best effort: see the method's documentation
    }
  }
}
