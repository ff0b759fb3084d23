package dev.kiln.runtime.train;

import dev.kiln.runtime.io.NpyArray;
import dev.kiln.runtime.io.Npz;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameter checkpoints as {@code .npz} files keyed by Flax path (what {@code np.load} and Flax's
 * {@code traverse_util.unflatten_dict} read). Written atomically: to a temporary file in the same
 * directory, forced to disk, then renamed over the target, so a crash mid-write leaves the previous
 * checkpoint intact. Resume with {@code model.fromFlax(Checkpoint.load(path))}.
 */
public final class Checkpoint {
  private Checkpoint() {}

  /** Writes {@code params} (Flax path to array) to {@code file}, replacing it atomically. */
  public static void save(Path file, Map<String, INDArray> params) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    params.forEach((name, array) -> arrays.put(name, NpyArray.of(array)));
    Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          OutputStream out = Channels.newOutputStream(channel)) {
        Npz.write(out, arrays);
        out.flush();
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The arrays of a checkpoint, by Flax path, in file order. */
  public static Map<String, INDArray> load(Path file) throws IOException {
    Map<String, INDArray> params = new LinkedHashMap<>();
    Npz.read(file).forEach((name, array) -> params.put(name, array.toINDArray()));
    return params;
  }
}
