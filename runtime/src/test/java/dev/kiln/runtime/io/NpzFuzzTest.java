package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kiln.runtime.testing.ReaderContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * {@link Npz#read} on any bytes, zip bombs and entries that lie about their sizes included, returns
 * arrays within its byte limit or throws {@link MalformedFileException}. Seeds: NpzFuzzTestInputs/.
 */
class NpzFuzzTest {
  private static final int LIMIT = 1 << 20;

  @FuzzTest(maxDuration = "5m")
  void read(byte[] input) throws IOException {
    ReaderContract.check(input.length, () -> Npz.read(new ByteArrayInputStream(input), LIMIT), arrays -> {
      long total = arrays.values().stream().mapToLong(a -> a.data().remaining()).sum();
      assertTrue(total <= LIMIT, "the arrays hold " + total + " bytes, more than the limit " + LIMIT);
    });
  }
}
