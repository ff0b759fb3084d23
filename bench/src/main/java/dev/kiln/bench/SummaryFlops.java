package dev.kiln.bench;

/** The forward FLOPs per example that a generated model's summary table reports in its Total row. */
final class SummaryFlops {
  private SummaryFlops() {}

  static long perExample(String summary) {
    for (String line : summary.split("\n")) {
      String[] cells = line.split("│");
      if (cells.length > 4 && cells[4].trim().equals("Total")) {
        return Long.parseLong(cells[cells.length - 1].trim().replace(",", ""));
      }
    }
    throw new IllegalArgumentException("the summary has no Total row with FLOPs:\n" + summary);
  }
}
