package dev.kiln.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine the numbers come from, and whether it is quiet enough to time on. */
final class Machine {
  private Machine() {}

  /** {@code AMD EPYC, 2 cores, 24.0 GiB, Java 17.0.x}. */
  static String describe() {
    String model = "unknown CPU";
    double memoryGib = Double.NaN;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          model = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memoryGib = Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the processor count and Java version still say something
    }
    return String.format(Locale.ROOT, "%s, %d cores, %.1f GiB, Java %s", model,
        Runtime.getRuntime().availableProcessors(), memoryGib, System.getProperty("java.version"));
  }

  /** The 1-minute load average, or NaN where {@code /proc/loadavg} is missing. */
  static double load() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
