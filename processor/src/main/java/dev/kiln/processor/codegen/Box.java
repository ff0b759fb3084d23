package dev.kiln.processor.codegen;

import java.util.ArrayList;
import java.util.List;

/** A text table drawn with box characters; cells may span several lines. */
final class Box {
  private Box() {}

  static String render(List<String> header, List<List<String>> rows) {
    int columns = header.size();
    int[] widths = new int[columns];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int c = 0; c < columns; c++) {
        for (String line : row.get(c).split("\n", -1)) {
          widths[c] = Math.max(widths[c], line.length());
        }
      }
    }
    StringBuilder out = new StringBuilder();
    rule(out, widths, '┌', '┬', '┐');
    line(out, widths, header);
    rule(out, widths, '├', '┼', '┤');
    for (int r = 0; r < rows.size(); r++) {
      line(out, widths, rows.get(r));
      rule(out, widths, r == rows.size() - 1 ? '└' : '├', r == rows.size() - 1 ? '┴' : '┼',
          r == rows.size() - 1 ? '┘' : '┤');
    }
    return out.toString();
  }

  private static void rule(StringBuilder out, int[] widths, char left, char middle, char right) {
    out.append(left);
    for (int c = 0; c < widths.length; c++) {
      out.append("─".repeat(widths[c] + 2)).append(c == widths.length - 1 ? right : middle);
    }
    out.append('\n');
  }

  private static void line(StringBuilder out, int[] widths, List<String> cells) {
    int height = cells.stream().mapToInt(s -> s.split("\n", -1).length).max().orElse(1);
    for (int h = 0; h < height; h++) {
      out.append('│');
      for (int c = 0; c < widths.length; c++) {
        String[] lines = cells.get(c).split("\n", -1);
        String text = h < lines.length ? lines[h] : "";
        out.append(' ').append(text).append(" ".repeat(widths[c] - text.length() + 1)).append('│');
      }
      out.append('\n');
    }
  }
}
