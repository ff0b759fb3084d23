package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kiln.runtime.io.MalformedFileException;
import dev.kiln.runtime.testing.ReaderContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Set;

/**
 * {@link Tar#read} on any bytes returns only wanted members within the size limit or throws
 * {@link MalformedFileException}. Seeds: TarFuzzTestInputs/.
 */
class TarFuzzTest {
  private static final Set<String> WANTED = Set.of("package/data.json", "a.txt");
  private static final int MAX_MEMBER_BYTES = 1 << 16;

  @FuzzTest(maxDuration = "5m")
  void read(byte[] input) throws IOException {
    ReaderContract.check(input.length, () -> Tar.read(new ByteArrayInputStream(input), WANTED, MAX_MEMBER_BYTES),
        members -> members.forEach((name, bytes) -> {
          assertTrue(WANTED.contains(name), "unwanted member " + name);
          assertTrue(bytes.length <= MAX_MEMBER_BYTES, name + " is larger than the limit");
        }));
  }
}
