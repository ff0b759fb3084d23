package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kiln.runtime.io.MalformedFileException;
import dev.kiln.runtime.testing.ReaderContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Idx}'s parsing of any file, gzip or plain, as images and as labels, returns data whose size
 * the header states and labels within range, or throws {@link MalformedFileException}. (The
 * conversion to ND4J arrays that follows is not fuzzed: it sees only checked data.) Seeds:
 * IdxFuzzTestInputs/.
 */
class IdxFuzzTest {
  private static final int CLASSES = 10;
  @TempDir static Path dir;

  @FuzzTest(maxDuration = "5m")
  void read(byte[] input) throws IOException {
    Path file = Files.write(dir.resolve("input.idx"), input);
    ReaderContract.check(input.length, () -> Idx.read(file, Idx.IMAGES_MAGIC), images -> {
      assertEquals(3, images.dims().length);
      assertEquals((long) images.dims()[0] * images.dims()[1] * images.dims()[2], images.data().length);
    });
    ReaderContract.check(input.length, () -> Idx.labels(file, CLASSES), labels -> {
      for (int label : labels) {
        assertTrue(label >= 0 && label < CLASSES, "label " + label);
      }
    });
  }
}
