package dev.kiln.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Starts one framework's child process (so that its peak memory is its own), with the thread count
 * fixed through the environment and, for the JVMs, glibc's allocator tuned; reads its {@link
 * Measurement} and times its start to the end of its first step.
 */
final class Launcher {
  /**
   * glibc malloc settings for the JVM children. libnd4j allocates large temporaries in every
   * convolution; with the defaults each one is a fresh mmap whose pages fault in again (millions of
   * minor faults per epoch). A high mmap threshold and no trimming keep freed memory for reuse.
   */
  static final Map<String, String> MALLOC_TUNING = Map.of(
      "MALLOC_ARENA_MAX", "2",
      "MALLOC_MMAP_THRESHOLD_", "33554432",
      "MALLOC_TRIM_THRESHOLD_", "17179869184",
      "MALLOC_TOP_PAD_", "536870912");

  /**
   * The JVM settings Kiln recommends for training (docs/benchmarks.md), given to the Kiln children.
   * ND4J arrays live off the Java heap and are freed when the collector finds their small Java
   * objects dead: a young generation of 16 MB, collected by the serial collector (about 2 ms per
   * collection, one every dozen W2 steps), finds them every few steps, where G1's young generation
   * grows to hundreds of MB and keeps that much dead native memory (and its own heap pages) resident.
   * Survivor spaces of 4 MB (ratio 2) hold one step's live arrays: with the default 1.6 MB they
   * overflow, the collector promotes the rest to the old generation, and their native memory stays
   * until a full collection.
   */
  static final List<String> KILN_JVM_OPTIONS = List.of("-Xmx1g", "-XX:+UseSerialGC", "-Xmn16m", "-XX:SurvivorRatio=2");

  /** The JVM settings of the other Java children (DL4J, the sgemm peak). */
  private static final List<String> OTHER_JVM_OPTIONS = List.of("-Xmx1g");

  private final int threads;
  private final boolean tuneMalloc;

  Launcher(int threads, boolean tuneMalloc) {
    this.threads = threads;
    this.tuneMalloc = tuneMalloc;
  }

  /** What a child reported: its measurement, or why it has none, and seconds from launch to its first step. */
  record Outcome(Measurement measurement, String problem, double startSeconds, String extra) {
    boolean ok() {
      return measurement != null;
    }
  }

  /** A Kiln child: {@code mainClass} on this JVM's class path, with {@link #KILN_JVM_OPTIONS}. */
  Outcome kiln(Class<?> mainClass, String... args) {
    return java(KILN_JVM_OPTIONS, mainClass, args);
  }

  /** Another Java child (DL4J, the sgemm peak): {@code mainClass} on this JVM's class path. */
  Outcome java(Class<?> mainClass, String... args) {
    return java(OTHER_JVM_OPTIONS, mainClass, args);
  }

  private Outcome java(List<String> options, Class<?> mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(List.of(args));
    return run(command, tuneMalloc);
  }

  /** A Python child run by {@code python} (Debian's interpreter, where python3-torch lives). */
  Outcome python(String python, Path script, String... args) {
    List<String> command = new ArrayList<>(List.of(python, script.toString()));
    command.addAll(List.of(args));
    return run(command, false);
  }

  private Outcome run(List<String> command, boolean malloc) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    for (String name : List.of("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")) {
      env.put(name, Integer.toString(threads));
    }
    if (malloc) {
      env.putAll(MALLOC_TUNING);
    }
    Deque<String> tail = new ArrayDeque<>();
    long start = System.nanoTime();
    double firstStep = Double.NaN;
    Measurement measurement = null;
    String unsupported = null;
    String extra = "";
    try {
      Process process = pb.start();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.equals(Measurement.FIRST_STEP)) {
            firstStep = (System.nanoTime() - start) / 1e9;
          } else if (line.startsWith(Measurement.PREFIX)) {
            measurement = Measurement.parse(line);
            int torch = line.indexOf(" torch=");
            extra = torch < 0 ? "" : line.substring(torch + 7).trim();
          } else if (line.startsWith("UNSUPPORTED ")) {
            unsupported = line.substring(12);
          } else {
            tail.addLast(line);
            if (tail.size() > 15) {
              tail.removeFirst();
            }
          }
        }
      }
      int status = process.waitFor();
      if (measurement == null) {
        String why = unsupported != null ? unsupported
            : "exit status " + status + ", last output:\n    " + String.join("\n    ", tail);
        return new Outcome(null, why, firstStep, extra);
      }
    } catch (IOException e) {
      return new Outcome(null, "cannot start " + command.get(0) + ": " + e.getMessage(), Double.NaN, extra);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(null, "interrupted", firstStep, extra);
    }
    return new Outcome(measurement, null, firstStep, extra);
  }
}
