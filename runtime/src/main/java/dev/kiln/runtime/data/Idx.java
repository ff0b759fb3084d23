package dev.kiln.runtime.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reader for the IDX files of MNIST and Fashion-MNIST (LeCun's format: a big-endian magic number
 * {@code 0x000008NN} where 08 means unsigned bytes and NN the number of dimensions, then one
 * big-endian int per dimension, then the bytes). Files may be gzip-compressed or plain; gzip is
 * recognised by its magic bytes {@code 1f 8b}, not by the file name. Every header field is checked
 * against what the file holds, so a truncated or foreign file fails with a message saying what was
 * expected and what was found.
 */
public final class Idx {
  /** Magic number of an image file: unsigned bytes, 3 dimensions (count, rows, columns). */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** Magic number of a label file: unsigned bytes, 1 dimension (count). */
  public static final int LABELS_MAGIC = 0x00000801;

  private Idx() {}

  /** Images as float32 {@code [N, rows, cols, 1]} (NHWC), pixel values scaled to [0, 1]. */
  public static INDArray readImages(Path file) throws IOException {
    try (DataInputStream in = open(file)) {
      int[] dims = header(in, IMAGES_MAGIC, file);
      byte[] pixels = body(in, dims, file);
      float[] values = new float[pixels.length];
      for (int i = 0; i < pixels.length; i++) {
        values[i] = (pixels[i] & 0xFF) / 255f;
      }
      return Nd4j.create(values, new long[] {dims[0], dims[1], dims[2], 1}, 'c');
    }
  }

  /** Labels as int32 {@code [N]}; fails naming the first index whose label is not below {@code classes}. */
  public static INDArray readLabels(Path file, int classes) throws IOException {
    try (DataInputStream in = open(file)) {
      int[] dims = header(in, LABELS_MAGIC, file);
      byte[] bytes = body(in, dims, file);
      int[] labels = new int[bytes.length];
      for (int i = 0; i < bytes.length; i++) {
        labels[i] = bytes[i] & 0xFF;
        if (labels[i] >= classes) {
          throw new IOException(file + ": label " + labels[i] + " at index " + i + " is out of range: expected 0.."
              + (classes - 1) + " for " + classes + " classes");
        }
      }
      return Nd4j.createFromArray(labels).castTo(DataType.INT32);
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    boolean gzip = b0 == 0x1f && b1 == 0x8b;
    return new DataInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : raw);
  }

  private static int[] header(DataInputStream in, int expectedMagic, Path file) throws IOException {
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new IOException(file + ": file too short for an IDX header (4 bytes of magic number)", e);
    }
    if (magic != expectedMagic) {
      throw new IOException(String.format("%s: bad IDX magic number 0x%08x, expected 0x%08x (%s)", file, magic,
          expectedMagic, expectedMagic == IMAGES_MAGIC ? "unsigned-byte images, 3 dimensions"
              : "unsigned-byte labels, 1 dimension"));
    }
    int[] dims = new int[magic & 0xFF];
    for (int i = 0; i < dims.length; i++) {
      try {
        dims[i] = in.readInt();
      } catch (EOFException e) {
        throw new IOException(file + ": truncated IDX header: expected " + dims.length + " dimension sizes, found "
            + i, e);
      }
      if (dims[i] <= 0) {
        throw new IOException(file + ": dimension " + i + " has size " + dims[i] + ", expected a positive size");
      }
    }
    return dims;
  }

  private static byte[] body(DataInputStream in, int[] dims, Path file) throws IOException {
    long expected = 1;
    for (int d : dims) {
      expected *= d;
    }
    if (expected > Integer.MAX_VALUE - 8) {
      throw new IOException(file + ": IDX data of " + expected + " bytes is too large");
    }
    byte[] data = new byte[(int) expected];
    int found = in.readNBytes(data, 0, data.length);
    if (found < expected) {
      throw new IOException(file + ": truncated IDX data: expected " + expected + " bytes after the header, found "
          + found);
    }
    if (in.read() != -1) {
      throw new IOException(file + ": IDX file has bytes after the expected " + expected + " data bytes");
    }
    return data;
  }
}
