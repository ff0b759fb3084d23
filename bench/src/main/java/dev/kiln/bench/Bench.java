package dev.kiln.bench;

import dev.kiln.examples.FashionCnnModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Times the WORKLOADS.md jobs side by side: Kiln's generated models, the same jobs in PyTorch
 * ({@code bench/python/torch_bench.py}) and in DL4J, each framework in its own child process with
 * the same thread count, and prints a Markdown table of steady-state throughput, the ratios, peak
 * resident memory and Kiln's start-up; then W1's achieved GFLOP/s against a measured sgemm peak and
 * the annotation processor's share of javac. Run from the repository root (see bench/run.sh and
 * docs/benchmarks.md).
 *
 * <p>{@code Bench [all | W1 W1b W2 W3 W3c W4 ...] [--seconds S] [--warmup N] [--threads N]
 * [--python PATH] [--max-load L] [--wait-minutes M] [--no-malloc-tuning] [--no-extras]}
 */
public final class Bench {
  private static final String USAGE = "usage: Bench [all | W1 W1b W2 W3 W3c W4 ...] [--seconds S] [--warmup N]"
      + " [--threads N] [--python PATH] [--max-load L] [--wait-minutes M] [--no-malloc-tuning] [--no-extras]";

  /** Forward and backward together cost about three forward passes (two matrix products per forward one). */
  static final double TRAINING_FLOPS_PER_FORWARD = 3;

  private final List<Workload> workloads = new ArrayList<>();
  private double seconds = 10;
  private int warmup = StepLoop.WARMUP;
  private int threads = 2;
  private String python = "/usr/bin/python3";
  private double maxLoad = 0.5;
  private double waitBudgetSeconds = 20 * 60;
  private boolean tuneMalloc = true;
  private boolean extras = true;
  private final List<Double> loads = new ArrayList<>();
  private final OwnLoad ownLoad = new OwnLoad();
  private boolean loaded;

  public static void main(String[] args) throws Exception {
    Bench bench;
    try {
      bench = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    bench.run(System.out);
  }

  static Bench parse(String[] args) {
    Bench b = new Bench();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "all" -> b.workloads.addAll(Arrays.asList(Workload.values()));
        case "--seconds" -> b.seconds = Double.parseDouble(value(args, ++i, a));
        case "--warmup" -> b.warmup = Integer.parseInt(value(args, ++i, a));
        case "--threads" -> b.threads = Integer.parseInt(value(args, ++i, a));
        case "--python" -> b.python = value(args, ++i, a);
        case "--max-load" -> b.maxLoad = Double.parseDouble(value(args, ++i, a));
        case "--wait-minutes" -> b.waitBudgetSeconds = 60 * Double.parseDouble(value(args, ++i, a));
        case "--no-malloc-tuning" -> b.tuneMalloc = false;
        case "--no-extras" -> b.extras = false;
        default -> {
          if (a.startsWith("--")) {
            throw new IllegalArgumentException("unknown option " + a);
          }
          b.workloads.add(Workload.of(a));
        }
      }
    }
    if (b.workloads.isEmpty()) {
      b.workloads.addAll(Arrays.asList(Workload.values()));
    }
    if (b.warmup < 1 || b.seconds <= 0 || b.threads < 1) {
      throw new IllegalArgumentException("--warmup, --seconds and --threads must be positive");
    }
    return b;
  }

  int workloadCount() {
    return workloads.size();
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  void run(PrintStream out) throws IOException, InterruptedException {
    Launcher launcher = new Launcher(threads, tuneMalloc);
    Path script = Path.of("bench", "python", "torch_bench.py");
    if (!Files.exists(script)) {
      throw new IOException(script.toAbsolutePath() + " is missing: run the benchmark from the repository root");
    }
    out.println("machine: " + Machine.describe());
    out.printf(Locale.ROOT, "threads %d, warm-up %d steps, then whole steps over >= %.0f s; JVM children %s%n",
        threads, warmup, seconds, tuneMalloc ? "with glibc malloc tuning" : "with glibc's default malloc");
    Map<Workload, Launcher.Outcome[]> results = new LinkedHashMap<>();
    String torchVersion = "";
    for (Workload w : workloads) {
      String[] childArgs = {w.name(), Double.toString(seconds), Integer.toString(warmup)};
      Launcher.Outcome kiln = timed(w.id() + " Kiln", () -> launcher.kiln(KilnJob.class, childArgs), out);
      Launcher.Outcome torch = timed(w.id() + " PyTorch", () -> launcher.python(python, script, w.name(),
          childArgs[1], childArgs[2], Integer.toString(threads)), out);
      Launcher.Outcome dl4j = timed(w.id() + " DL4J", () -> launcher.java(Dl4jJob.class, childArgs), out);
      torchVersion = torch.extra().isEmpty() ? torchVersion : torch.extra();
      results.put(w, new Launcher.Outcome[] {kiln, torch, dl4j});
    }
    out.println();
    out.print(Table.markdown(results));
    out.println();
    out.println("PyTorch " + (torchVersion.isEmpty() ? "not measured" : torchVersion) + "; DL4J/ND4J 1.0.0-M2.1");
    if (extras) {
      extras(launcher, results.get(Workload.W1), out);
    }
    out.printf(Locale.ROOT, "1-minute load average of other processes before each run: %s%s%n", loads.stream()
        .map(l -> String.format(Locale.ROOT, "%.2f", l)).toList(), loaded
        ? " (the machine never became quiet: figures taken on a LOADED machine)" : "");
  }

  private void extras(Launcher launcher, Launcher.Outcome[] w1, PrintStream out)
      throws IOException, InterruptedException {
    Launcher.Outcome peak = timed("sgemm peak", () -> launcher.java(PeakGflops.class, "3"), out);
    if (w1 != null && w1[0].ok() && peak.ok()) {
      long forward = SummaryFlops.perExample(FashionCnnModel.INSTANCE.summary());
      double achieved = TRAINING_FLOPS_PER_FORWARD * forward * w1[0].measurement().throughput() / 1e9;
      double peakGflops = PeakGflops.FLOPS * peak.measurement().steps() / peak.measurement().seconds() / 1e9;
      out.printf(Locale.ROOT, "W1 achieved: %.1f GFLOP/s (%,d forward FLOPs per image from the summary, x%.0f for"
          + " a training step) = %.0f%% of the measured sgemm peak %.1f GFLOP/s on %d threads%n", achieved, forward,
          TRAINING_FLOPS_PER_FORWARD, 100 * achieved / peakGflops, peakGflops, threads);
    } else if (!peak.ok()) {
      out.println("sgemm peak: " + peak.problem());
    }
    if (w1 != null && w1[0].ok() && tuneMalloc) {
      String[] args = {Workload.W1.name(), Double.toString(seconds), Integer.toString(warmup)};
      Launcher.Outcome plain = timed("W1 Kiln, glibc default malloc",
          () -> new Launcher(threads, false).kiln(KilnJob.class, args), out);
      if (plain.ok()) {
        out.printf(Locale.ROOT, "W1 Kiln with glibc's default malloc: %.1f images/s, %d MB peak RSS (tuned: %.1f,"
            + " %d MB)%n", plain.measurement().throughput(), plain.measurement().peakRssKb() / 1024,
            w1[0].measurement().throughput(), w1[0].measurement().peakRssKb() / 1024);
      }
    }
    Path examples = Path.of("examples", "src", "main", "java");
    if (Files.isDirectory(examples)) {
      waitForQuiet(out);
      CompileTime.Result c = CompileTime.measure(examples, 3);
      out.printf(Locale.ROOT, "javac of the examples module (%d sources, %d generated): %.2f s with the processor,"
          + " %.2f s with -proc:none on the generated sources; the processor adds %.2f s (best of 3)%n",
          c.sources(), c.generated(), c.withProcessor(), c.withoutProcessor(), c.processorSeconds());
    }
  }

  private Launcher.Outcome timed(String what, java.util.function.Supplier<Launcher.Outcome> child, PrintStream out)
      throws InterruptedException {
    double others = waitForQuiet(out);
    double start = now();
    Launcher.Outcome o = child.get();
    ownLoad.record(start, now(), threads);
    out.printf(Locale.ROOT, "  %-30s load %.2f  %s%n", what, others, o.ok()
        ? String.format(Locale.ROOT, "%.1f per s over %d steps, first step after %.2f s, peak RSS %d MB",
            o.measurement().throughput(), o.measurement().steps(), o.startSeconds(),
            o.measurement().peakRssKb() / 1024)
        : "not measured: " + o.problem());
    return o;
  }

  private static double now() {
    return System.nanoTime() / 1e9;
  }

  /**
   * Waits (out of the run's whole budget) until the 1-minute load, less what this benchmark's own
   * children left in it, is below the limit; returns that load of others.
   */
  private double waitForQuiet(PrintStream out) throws InterruptedException {
    double load = Machine.load() - ownLoad.at(now());
    boolean said = false;
    while (!(load < maxLoad) && waitBudgetSeconds > 0) {
      if (!said) {
        out.printf(Locale.ROOT, "  waiting for the 1-minute load of other processes (%.2f) to fall below %.2f ...%n",
            load, maxLoad);
        said = true;
      }
      Thread.sleep(5000);
      waitBudgetSeconds -= 5;
      load = Machine.load() - ownLoad.at(now());
    }
    if (!(load < maxLoad)) {
      loaded = true;
    }
    loads.add(load);
    return load;
  }
}
