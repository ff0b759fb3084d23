package dev.kiln.runtime.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxFiles {
  private IdxFiles() {}

  static byte[] images(int n, int rows, int cols) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(Idx.IMAGES_MAGIC);
    out.writeInt(n);
    out.writeInt(rows);
    out.writeInt(cols);
    for (int i = 0; i < n * rows * cols; i++) {
      out.writeByte(i * 37 % 256);
    }
    return bytes.toByteArray();
  }

  static byte[] labels(int... labels) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(Idx.LABELS_MAGIC);
    out.writeInt(labels.length);
    for (int l : labels) {
      out.writeByte(l);
    }
    return bytes.toByteArray();
  }

  static Path write(Path file, byte[] content, boolean gzip) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(content);
    }
    return file;
  }

  /** A complete train/t10k dataset directory with 4 images of 2x3 per split, labels 0..3. */
  static Path dataset(Path dir) throws IOException {
    for (String split : new String[] {"train", "t10k"}) {
      write(dir.resolve(split + "-images-idx3-ubyte.gz"), images(4, 2, 3), true);
      write(dir.resolve(split + "-labels-idx1-ubyte.gz"), labels(0, 1, 2, 3), true);
    }
    return dir;
  }
}
