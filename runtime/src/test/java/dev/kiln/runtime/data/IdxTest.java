package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.io.MalformedFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class IdxTest {
  @TempDir Path dir;

  @Test
  void readsGzipAndPlainImagesAsNhwcInUnitRange() throws IOException {
    byte[] content = IdxFiles.images(2, 3, 4);
    INDArray gz = Idx.readImages(IdxFiles.write(dir.resolve("a.gz"), content, true));
    INDArray plain = Idx.readImages(IdxFiles.write(dir.resolve("a"), content, false));
    assertArrayEquals(new long[] {2, 3, 4, 1}, gz.shape());
    assertEquals(DataType.FLOAT, gz.dataType());
    assertEquals(gz, plain);
    assertEquals(37 / 255f, gz.getFloat(0, 0, 1, 0), 0);
    assertEquals(5 * 37 % 256 / 255f, gz.getFloat(0, 1, 1, 0), 0);
    assertTrue(gz.maxNumber().doubleValue() <= 1 && gz.minNumber().doubleValue() >= 0);
  }

  @Test
  void readsLabels() throws IOException {
    INDArray labels = Idx.readLabels(IdxFiles.write(dir.resolve("l.gz"), IdxFiles.labels(3, 0, 9), true), 10);
    assertArrayEquals(new int[] {3, 0, 9}, labels.toIntVector());
    assertEquals(DataType.INT32, labels.dataType());
  }

  @Test
  void rejectsWrongMagic() throws IOException {
    Path labelsAsImages = IdxFiles.write(dir.resolve("l"), IdxFiles.labels(1, 2), false);
    IOException e = assertThrows(MalformedFileException.class, () -> Idx.readImages(labelsAsImages));
    assertTrue(e.getMessage().contains("bad IDX magic number 0x00000801, expected 0x00000803"), e.getMessage());
  }

  @Test
  void rejectsTruncatedDataWithExpectedAndFoundCounts() throws IOException {
    byte[] full = IdxFiles.images(2, 3, 4);
    Path file = IdxFiles.write(dir.resolve("t.gz"), Arrays.copyOf(full, full.length - 5), true);
    IOException e = assertThrows(MalformedFileException.class, () -> Idx.readImages(file));
    assertTrue(e.getMessage().contains("expected 24 bytes after the header, found 19"), e.getMessage());
  }

  @Test
  void rejectsTruncatedHeader() throws IOException {
    Path file = IdxFiles.write(dir.resolve("h"), Arrays.copyOf(IdxFiles.images(2, 3, 4), 10), false);
    IOException e = assertThrows(MalformedFileException.class, () -> Idx.readImages(file));
    assertTrue(e.getMessage().contains("truncated IDX header: expected 3 dimension sizes, found 1"), e.getMessage());
  }

  @Test
  void rejectsLabelOutOfRangeNamingTheIndex() throws IOException {
    Path file = IdxFiles.write(dir.resolve("l"), IdxFiles.labels(1, 2, 10, 4), false);
    IOException e = assertThrows(MalformedFileException.class, () -> Idx.readLabels(file, 10));
    assertTrue(e.getMessage().contains("label 10 at index 2 is out of range: expected 0..9"), e.getMessage());
  }

  @Test
  void aHeaderClaimingMoreThanTheFileHoldsFailsWithoutAllocatingIt() throws IOException {
    // 2 GB announced, 100 bytes present: reading must fail on the bytes, not try to allocate the claim
    byte[] claim = ByteBuffer.allocate(116).putInt(Idx.IMAGES_MAGIC).putInt(1000).putInt(1000).putInt(2000)
        .array();
    Path file = IdxFiles.write(dir.resolve("claim-idx3-ubyte"), claim, false);
    IOException e = assertThrows(MalformedFileException.class, () -> Idx.readImages(file));
    assertTrue(e.getMessage().contains("expected 2000000000 bytes after the header, found 100"), e.getMessage());
    byte[] overflow = ByteBuffer.allocate(16).putInt(Idx.IMAGES_MAGIC).putInt(Integer.MAX_VALUE)
        .putInt(Integer.MAX_VALUE).putInt(Integer.MAX_VALUE).array();
    Path huge = IdxFiles.write(dir.resolve("huge-idx3-ubyte"), overflow, false);
    e = assertThrows(MalformedFileException.class, () -> Idx.readImages(huge));
    assertTrue(e.getMessage().contains("describe more than 2 GiB"), e.getMessage());
  }

  @Test
  void corruptGzipIsAMalformedFile() throws IOException {
    byte[] gz = Files.readAllBytes(IdxFiles.write(dir.resolve("ok.gz"), IdxFiles.images(2, 2, 3), true));
    byte[] cut = Arrays.copyOf(gz, gz.length - 12);
    Path file = IdxFiles.write(dir.resolve("cut-idx3-ubyte.gz"), cut, false);
    IOException e = assertThrows(MalformedFileException.class, () -> Idx.readImages(file));
    assertTrue(e.getMessage().contains("gzip"), e.getMessage());
  }
}
