package dev.kiln.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a child process reports on one line of its standard output, {@code RESULT steps=.. seconds=..
 * items_per_step=.. peak_rss_kb=..}: whole steps timed after the warm-up, their seconds, and the
 * process's peak resident memory. Every framework's child (Java or Python) prints this same line.
 */
record Measurement(long steps, double seconds, int itemsPerStep, long peakRssKb) {
  static final String PREFIX = "RESULT ";
  /** Printed (and flushed) by a child when its first training step has finished. */
  static final String FIRST_STEP = "FIRST_STEP";

  /** Items (images, sequences or steps) per second. */
  double throughput() {
    return steps * itemsPerStep / seconds;
  }

  String toLine() {
    return String.format(Locale.ROOT, "%ssteps=%d seconds=%.6f items_per_step=%d peak_rss_kb=%d", PREFIX, steps,
        seconds, itemsPerStep, peakRssKb);
  }

  /** Reads a {@link #toLine} line; fails naming the line when a field is missing or malformed. */
  static Measurement parse(String line) {
    if (!line.startsWith(PREFIX)) {
      throw new IllegalArgumentException("expected a line starting with '" + PREFIX + "', found '" + line + "'");
    }
    Map<String, String> fields = new HashMap<>();
    for (String field : line.substring(PREFIX.length()).trim().split("\\s+")) {
      int eq = field.indexOf('=');
      if (eq > 0) {
        fields.put(field.substring(0, eq), field.substring(eq + 1));
      }
    }
    try {
      return new Measurement(Long.parseLong(required(fields, "steps", line)),
          Double.parseDouble(required(fields, "seconds", line)),
          Integer.parseInt(required(fields, "items_per_step", line)),
          Long.parseLong(required(fields, "peak_rss_kb", line)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed number in '" + line + "': " + e.getMessage(), e);
    }
  }

  private static String required(Map<String, String> fields, String name, String line) {
    String value = fields.get(name);
    if (value == null) {
      throw new IllegalArgumentException("'" + line + "' has no " + name + "=");
    }
    return value;
  }
}
