package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kiln.runtime.testing.ReaderContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@link Json#parse} on any text returns a value or throws {@link MalformedFileException}; a parsed
 * value survives a round trip through Kiln's own writing of strings. Seeds: JsonFuzzTestInputs/.
 */
class JsonFuzzTest {
  @FuzzTest(maxDuration = "5m")
  void parse(byte[] input) throws IOException {
    String text = new String(input, StandardCharsets.UTF_8);
    ReaderContract.check(input.length, () -> Json.parse(text), value -> {
      if (value instanceof String s) {
        assertEquals(s, Json.parse(Json.quote(s)));
      }
    });
  }
}
