package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kiln.runtime.testing.ReaderContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SafeTensors#read} on any file returns tensors that fit in it or throws
 * {@link MalformedFileException}. Seeds: SafeTensorsFuzzTestInputs/.
 */
class SafeTensorsFuzzTest {
  @TempDir static Path dir;

  @FuzzTest(maxDuration = "5m")
  void read(byte[] input) throws IOException {
    Path file = Files.write(dir.resolve("input.safetensors"), input);
    ReaderContract.check(input.length, () -> SafeTensors.read(file), contents -> {
      long total = contents.tensors().values().stream().mapToLong(t -> t.data().remaining()).sum();
      assertTrue(total <= input.length, "the tensors hold " + total + " bytes, more than the file's " + input.length);
    });
  }
}
