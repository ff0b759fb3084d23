package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kiln.runtime.testing.ReaderContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * {@link Npy#read} on any bytes returns an array no larger than the input or throws
 * {@link MalformedFileException}; an array read back writes and reads again unchanged. Seeds:
 * NpyFuzzTestInputs/.
 */
class NpyFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void read(byte[] input) throws IOException {
    ReaderContract.check(input.length, () -> Npy.read(new ByteArrayInputStream(input), 1 << 20), array -> {
      assertTrue(array.data().remaining() <= input.length, "an array cannot hold more bytes than its file");
      NpyArray again = Npy.read(new ByteArrayInputStream(Npy.write(array)), 1 << 20);
      assertArrayEquals(array.shape(), again.shape());
      assertTrue(array.data().equals(again.data()), "the data must survive a round trip");
    });
  }
}
