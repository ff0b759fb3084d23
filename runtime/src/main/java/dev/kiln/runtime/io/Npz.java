package dev.kiln.runtime.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy {@code .npz} archives ({@code np.savez} and {@code np.savez_compressed}): a zip of
 * {@code .npy} files, entries stored or deflated. Names are returned without the {@code .npy} suffix.
 */
public final class Npz {
  /** The most bytes one archive may inflate to, so a zip bomb fails instead of filling memory. */
  public static final long DEFAULT_MAX_BYTES = 4L << 30;

  private Npz() {}

  public static Map<String, NpyArray> read(Path path) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
      return read(in, DEFAULT_MAX_BYTES);
    } catch (IOException e) {
      throw new IOException(path + ": " + e.getMessage(), e);
    }
  }

  /** Reads every array, in archive order; fails once the arrays add up to more than {@code maxBytes}. */
  public static Map<String, NpyArray> read(InputStream in, long maxBytes) throws IOException {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    long budget = maxBytes;
    try (ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry entry;
      while ((entry = zip.getNextEntry()) != null) {
        String name = entry.getName();
        if (!name.endsWith(".npy")) {
          throw new IOException("unexpected entry '" + name + "' in .npz: expected only .npy files");
        }
        NpyArray array;
        try {
          array = Npy.read(zip, budget);
        } catch (IOException e) {
          throw new IOException("entry '" + name + "': " + e.getMessage(), e);
        }
        budget -= array.data().remaining();
        arrays.put(name.substring(0, name.length() - 4), array);
      }
    }
    if (arrays.isEmpty()) {
      throw new IOException("no arrays found: expected a zip archive of .npy files");
    }
    return arrays;
  }

  /** Writes the arrays, deflated, in the map's order. */
  public static void write(OutputStream out, Map<String, NpyArray> arrays) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
      zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
      zip.write(Npy.write(e.getValue()));
      zip.closeEntry();
    }
    zip.finish();
  }
}
