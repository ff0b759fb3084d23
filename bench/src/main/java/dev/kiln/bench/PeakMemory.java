package dev.kiln.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's peak resident set size, Linux's {@code VmHWM} in {@code /proc/self/status}. */
final class PeakMemory {
  private PeakMemory() {}

  /** Kilobytes, or -1 where {@code /proc} does not say (not Linux). */
  static long kilobytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
