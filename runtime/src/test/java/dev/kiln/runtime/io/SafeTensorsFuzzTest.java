package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kiln.runtime.testing.ReaderContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link SafeTensors#read} on any file returns tensors that fit in it or throws
 * {@link MalformedFileException}. Seeds: SafeTensorsFuzzTestInputs/.
 */
class SafeTensorsFuzzTest {
  private static Path file;

  @BeforeAll
  static void createFile() throws IOException {
    file = Files.createTempFile("fuzz", ".safetensors");
  }

  @AfterAll
  static void deleteFile() throws IOException {
    Files.deleteIfExists(file);
  }

  @FuzzTest(maxDuration = "5m")
  void read(byte[] input) throws IOException {
    Files.write(file, input);
    ReaderContract.check(input.length, () -> SafeTensors.read(file), contents -> {
      long total = contents.tensors().values().stream().mapToLong(t -> t.data().remaining()).sum();
      assertTrue(total <= input.length, "the tensors hold " + total + " bytes, more than the file's " + input.length);
    });
  }
}
