package dev.kiln.runtime.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
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

  /**
   * Reads every array of the archive at {@code path}, at most {@link #DEFAULT_MAX_BYTES} in all.
   *
   * @throws MalformedFileException if the file is not a valid {@code .npz} archive (message says why)
   */
  public static Map<String, NpyArray> read(Path path) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
      return read(in, DEFAULT_MAX_BYTES);
    } catch (IOException e) {
      throw MalformedFileException.at(path, e);
    }
  }

  /**
   * Reads every array, in archive order. An entry may inflate to no more than its declared size (when
   * its local header declares one) and all arrays together to no more than {@code maxBytes}, so a
   * zip bomb or an entry that lies about its size fails after reading at most that much.
   *
   * @throws MalformedFileException if the stream is not a valid {@code .npz} archive (message says why)
   */
  public static Map<String, NpyArray> read(InputStream in, long maxBytes) throws IOException {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    long budget = maxBytes;
    try (ZipInputStream zip = new ZipInputStream(in)) {
      ZipEntry entry;
      while ((entry = nextEntry(zip)) != null) {
        String name = entry.getName();
        if (!name.endsWith(".npy")) {
          throw new MalformedFileException("unexpected entry '" + name + "' in .npz: expected only .npy files");
        }
        String key = name.substring(0, name.length() - 4);
        if (arrays.containsKey(key)) {
          throw new MalformedFileException("duplicate entry '" + name + "' in .npz");
        }
        long declared = entry.getSize();
        try {
          NpyArray array = Npy.read(zip, declared >= 0 ? Math.min(declared, budget) : budget);
          if (zip.read() != -1) {
            throw new MalformedFileException("bytes after the array: the entry "
                + (declared >= 0 ? "declares " + declared + " bytes" : "is longer than its array"));
          }
          budget -= array.data().remaining();
          arrays.put(key, array);
        } catch (ZipException | EOFException e) {
          throw new MalformedFileException("entry '" + name + "': corrupt or truncated: " + e.getMessage(), e);
        } catch (IOException e) {
          throw MalformedFileException.at("entry '" + name + "'", e);
        }
      }
    }
    if (arrays.isEmpty()) {
      throw new MalformedFileException("no arrays found: expected a zip archive of .npy files");
    }
    return arrays;
  }

  /** The next entry; a corrupt local header (or an entry name that is not valid text) is a malformed file. */
  private static ZipEntry nextEntry(ZipInputStream zip) throws IOException {
    try {
      return zip.getNextEntry();
    } catch (ZipException | EOFException | IllegalArgumentException e) {
      throw new MalformedFileException("not a valid zip archive: " + e.getMessage(), e);
    }
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
