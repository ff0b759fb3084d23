package dev.kiln.runtime.data;

import dev.kiln.runtime.io.MalformedFileException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
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

  /**
   * Images as float32 {@code [N, rows, cols, 1]} (NHWC), pixel values scaled to [0, 1].
   *
   * @throws MalformedFileException if the file is not an IDX image file whose header matches its data
   */
  public static INDArray readImages(Path file) throws IOException {
    Contents images = read(file, IMAGES_MAGIC);
    float[] values = new float[images.data.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = (images.data[i] & 0xFF) / 255f;
    }
    return Nd4j.create(values, new long[] {images.dims[0], images.dims[1], images.dims[2], 1}, 'c');
  }

  /**
   * Labels as int32 {@code [N]}.
   *
   * @throws MalformedFileException if the file is not an IDX label file whose header matches its data, or
   *     a label is not below {@code classes} (the message names the first such index and the range)
   */
  public static INDArray readLabels(Path file, int classes) throws IOException {
    return Nd4j.createFromArray(labels(file, classes)).castTo(DataType.INT32);
  }

  /** The labels of a label file, each checked to be below {@code classes}. */
  static int[] labels(Path file, int classes) throws IOException {
    byte[] bytes = read(file, LABELS_MAGIC).data;
    int[] labels = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      labels[i] = bytes[i] & 0xFF;
      if (labels[i] >= classes) {
        throw new MalformedFileException(file + ": label " + labels[i] + " at index " + i
            + " is out of range: expected 0.." + (classes - 1) + " for " + classes + " classes");
      }
    }
    return labels;
  }

  /** An IDX file's dimension sizes and its data, checked against each other. */
  record Contents(int[] dims, byte[] data) {}

  /** Reads a file whose magic number must be {@code expectedMagic}. */
  static Contents read(Path file, int expectedMagic) throws IOException {
    try (DataInputStream in = open(file)) {
      int[] dims = header(in, expectedMagic, file);
      return new Contents(dims, body(in, dims, file));
    }
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    boolean gzip = b0 == 0x1f && b1 == 0x8b;
    try {
      return new DataInputStream(gzip ? new CorruptGzipIsMalformed(new GZIPInputStream(raw, 1 << 16), file) : raw);
    } catch (ZipException | EOFException e) {
      raw.close();
      throw new MalformedFileException(file + ": corrupt gzip header: " + e.getMessage(), e);
    }
  }

  /** Reports a gzip stream that breaks off or fails its checks as a malformed file, not a failed read. */
  private static final class CorruptGzipIsMalformed extends FilterInputStream {
    private final Path file;

    CorruptGzipIsMalformed(InputStream in, Path file) {
      super(in);
      this.file = file;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (ZipException | EOFException e) {
        throw corrupt(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (ZipException | EOFException e) {
        throw corrupt(e);
      }
    }

    private MalformedFileException corrupt(IOException e) {
      return new MalformedFileException(file + ": corrupt or truncated gzip data: " + e.getMessage(), e);
    }
  }

  private static int[] header(DataInputStream in, int expectedMagic, Path file) throws IOException {
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new MalformedFileException(file + ": file too short for an IDX header (4 bytes of magic number)", e);
    }
    if (magic != expectedMagic) {
      throw new MalformedFileException(String.format("%s: bad IDX magic number 0x%08x, expected 0x%08x (%s)", file, magic,
          expectedMagic, expectedMagic == IMAGES_MAGIC ? "unsigned-byte images, 3 dimensions"
              : "unsigned-byte labels, 1 dimension"));
    }
    int[] dims = new int[magic & 0xFF];
    for (int i = 0; i < dims.length; i++) {
      try {
        dims[i] = in.readInt();
      } catch (EOFException e) {
        throw new MalformedFileException(file + ": truncated IDX header: expected " + dims.length + " dimension sizes, found "
            + i, e);
      }
      if (dims[i] <= 0) {
        throw new MalformedFileException(file + ": dimension " + i + " has size " + dims[i] + ", expected a positive size");
      }
    }
    return dims;
  }

  /** The data the header announces, read as it arrives: a header that claims more costs no more memory. */
  private static byte[] body(DataInputStream in, int[] dims, Path file) throws IOException {
    long expected = 1;
    for (int d : dims) {
      expected *= d;
      if (expected > Integer.MAX_VALUE - 8) {
        throw new MalformedFileException(file + ": IDX dimensions " + Arrays.toString(dims)
            + " describe more than 2 GiB of data");
      }
    }
    byte[] data = in.readNBytes((int) expected);
    if (data.length < expected) {
      throw new MalformedFileException(file + ": truncated IDX data: expected " + expected
          + " bytes after the header, found " + data.length);
    }
    if (in.read() != -1) {
      throw new MalformedFileException(file + ": IDX file has bytes after the expected " + expected + " data bytes");
    }
    return data;
  }
}
