package dev.kiln.bench;

import java.util.Locale;
import java.util.Map;

/** The side-by-side table in Markdown: throughput per framework, Kiln's ratios, peak memory, start-up. */
final class Table {
  private Table() {}

  /** {@code outcomes} per workload in the order Kiln, PyTorch, DL4J. */
  static String markdown(Map<Workload, Launcher.Outcome[]> outcomes) {
    StringBuilder s = new StringBuilder();
    s.append("| job | unit | Kiln | PyTorch | DL4J | Kiln/PyTorch | Kiln/DL4J | peak RSS MB Kiln / PyTorch / DL4J"
        + " | Kiln start to first step |\n");
    s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    StringBuilder notes = new StringBuilder();
    outcomes.forEach((w, o) -> {
      s.append(String.format(Locale.ROOT, "| %s %s | %s | %s | %s | %s | %s | %s | %s / %s / %s | %s |\n", w.id(),
          w.job, w.unit, rate(o[0]), rate(o[1]), rate(o[2]), ratio(o[0], o[1]), ratio(o[0], o[2]), rss(o[0]),
          rss(o[1]), rss(o[2]), Double.isNaN(o[0].startSeconds()) ? "-"
              : String.format(Locale.ROOT, "%.2f s", o[0].startSeconds())));
      String[] names = {"Kiln", "PyTorch", "DL4J"};
      for (int i = 0; i < o.length; i++) {
        if (!o[i].ok()) {
          notes.append("- ").append(w.id()).append(' ').append(names[i]).append(": ").append(o[i].problem())
              .append('\n');
        }
      }
    });
    return s.append(notes).toString();
  }

  private static String rate(Launcher.Outcome o) {
    return o.ok() ? String.format(Locale.ROOT, "%,.1f", o.measurement().throughput()) : "n/a";
  }

  static String ratio(Launcher.Outcome kiln, Launcher.Outcome other) {
    return kiln.ok() && other.ok() ? String.format(Locale.ROOT, "%.2f",
        kiln.measurement().throughput() / other.measurement().throughput()) : "-";
  }

  private static String rss(Launcher.Outcome o) {
    return o.ok() && o.measurement().peakRssKb() > 0 ? Long.toString(o.measurement().peakRssKb() / 1024) : "-";
  }
}
