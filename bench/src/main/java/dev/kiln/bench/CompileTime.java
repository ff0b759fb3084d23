package dev.kiln.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The annotation processor's share of compiling the examples module: {@code javac} over its
 * sources with the Kiln processor (which writes the generated sources), against {@code javac
 * -proc:none} over the same sources plus those generated ones. Each is a fresh javac process; the
 * best of a few runs counts.
 */
final class CompileTime {
  /** Best seconds with the processor and without it (on the already generated sources). */
  record Result(double withProcessor, double withoutProcessor, int sources, int generated) {
    double processorSeconds() {
      return withProcessor - withoutProcessor;
    }
  }

  private CompileTime() {}

  static Result measure(Path sourceRoot, int repeats) throws IOException, InterruptedException {
    List<String> sources;
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted().toList();
    }
    if (sources.isEmpty()) {
      throw new IOException("no Java sources under " + sourceRoot);
    }
    // the examples' own classes are on this class path; compile against everything else
    String classPath = String.join(File.pathSeparator, Stream.of(System.getProperty("java.class.path")
        .split(File.pathSeparator)).filter(e -> !e.contains("kiln-examples") && !e.contains("examples/target"))
        .toList());
    Path work = Files.createTempDirectory("kiln-javac");
    try {
      double with = Double.MAX_VALUE;
      double without = Double.MAX_VALUE;
      List<String> generated = List.of();
      for (int i = 0; i < repeats; i++) {
        Path gen = clean(work.resolve("generated"));
        with = Math.min(with, javac(List.of("-d", clean(work.resolve("with")).toString(), "-s", gen.toString(),
            "-cp", classPath, "-processorpath", classPath), sources));
        try (Stream<Path> files = Files.walk(gen)) {
          generated = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).toList();
        }
        List<String> all = new ArrayList<>(sources);
        all.addAll(generated);
        without = Math.min(without, javac(List.of("-d", clean(work.resolve("without")).toString(), "-cp", classPath,
            "-proc:none"), all));
      }
      return new Result(with, without, sources.size(), generated.size());
    } finally {
      delete(work);
    }
  }

  private static double javac(List<String> options, List<String> sources) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "javac").toString());
    command.addAll(options);
    command.addAll(List.of("--release", "17", "-encoding", "UTF-8"));
    command.addAll(sources);
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IOException("javac failed:\n" + output);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static Path clean(Path dir) throws IOException {
    delete(dir);
    return Files.createDirectories(dir);
  }

  private static void delete(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }
}
