package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parsesWhatKilnReads() throws IOException {
    assertEquals(Map.of("a", List.of(1L, -2L, "\u00e9\n"), "b", Map.of()),
        Json.parse(" {\"a\": [1, -2, \"\\u00E9\\n\"], \"b\": {}} "));
  }

  @Test
  void refusesMalformedTextNamingThePlace() {
    assertRefused("\"\\u+123\"", "character 3: malformed \\u escape");
    assertRefused("\"\\u-001\"", "malformed \\u escape");
    assertRefused("[12345678901234567890]", "out-of-range integer");
    assertRefused("[1.5]", "only integers");
    assertRefused("{\"a\": 1, \"a\": 2}", "duplicate key");
    assertRefused("[".repeat(40), "nested deeper than 32");
    assertRefused("[1, 2", "unexpected end of JSON");
    assertRefused("[\u0661]", "unexpected character");
  }

  private static void assertRefused(String text, String expected) {
    IOException e = assertThrows(MalformedFileException.class, () -> Json.parse(text), text);
    assertTrue(e.getMessage().contains(expected), text + ": " + e.getMessage());
  }
}
