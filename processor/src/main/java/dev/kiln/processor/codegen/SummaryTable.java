package dev.kiln.processor.codegen;

import dev.kiln.processor.layers.ParamSlot;
import dev.kiln.processor.model.ComponentParams;
import dev.kiln.processor.model.Dim;
import dev.kiln.processor.model.Network;
import dev.kiln.processor.model.Step;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders a model's summary at compile time, in the spirit of Flax's {@code tabulate}: one row
 * per component (sub-models expanded), its layers, input and output shapes, parameters with their
 * shapes, count and size, and floating-point operations per example.
 */
public final class SummaryTable {
  private static final List<String> HEADER = List.of("path", "module", "inputs", "outputs", "params", "FLOPs/example");

  private SummaryTable() {}

  public static String render(Network network) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("", network.spec().name(), network.input().shape().toString(),
        network.outputs().stream().map(v -> v.shape().toString()).collect(Collectors.joining("\n")), "",
        number(flops(network))));
    addRows(network, "", rows);
    String total = count(network.parameterCount()) + symbolicTerms(network).stream().map(t -> " + " + t)
        .collect(Collectors.joining());
    rows.add(List.of("", "", "", "Total", total, number(flops(network))));
    String table = Box.render(HEADER, rows);
    int width = table.indexOf('\n');
    String title = network.spec().name() + " summary";
    return " ".repeat(Math.max(0, (width - title.length()) / 2)) + title + "\n" + table
        + "Total parameters: " + total + "\n";
  }

  private static void addRows(Network network, String prefix, List<List<String>> rows) {
    for (ComponentParams c : network.params()) {
      List<Step> steps = network.steps().stream().filter(s -> s.component().name().equals(c.name())).toList();
      Step first = steps.get(0);
      Step last = steps.get(steps.size() - 1);
      String path = prefix + c.name();
      if (c.subModel() != null) {
        rows.add(List.of(path, c.subModel().spec().name(), first.input().shape().toString(),
            last.output().shape().toString(), count(c.subModel().parameterCount()), number(flops(c.subModel()))));
        addRows(c.subModel(), path + "/", rows);
        continue;
      }
      String module = steps.stream().map(Step::description).collect(Collectors.joining(" -> "));
      long flops = steps.stream().mapToLong(Step::flopsPerExample).sum();
      rows.add(List.of(path, module, first.input().shape().toString(), last.output().shape().toString(),
          params(c), number(flops)));
    }
  }

  private static String params(ComponentParams c) {
    List<ParamSlot> present = c.slots().stream().filter(ParamSlot::present)
        .sorted(Comparator.comparing(ParamSlot::flaxPath)).toList();
    if (present.isEmpty()) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    long total = 0;
    List<String> symbolic = new ArrayList<>();
    for (ParamSlot s : present) {
      text.append(s.flaxPath()).append(": float32")
          .append(s.shape().stream().map(Dim::toString).collect(Collectors.joining(",", "[", "]")))
          .append(s.trainable() ? "" : " (state)").append('\n');
      if (s.trainable() && s.count() >= 0) {
        total += s.count();
      } else if (s.trainable()) {
        symbolic.add(s.shape().stream().map(Dim::toString).collect(Collectors.joining("·")));
      }
    }
    text.append('\n');
    if (symbolic.isEmpty()) {
      return text.append(count(total)).toString();
    }
    return text.append(String.join(" + ", symbolic)).append(total > 0 ? " + " + number(total) : "").toString();
  }

  /** The parameter counts that depend on symbols, e.g. {@code V·64} for an embedding. */
  private static List<String> symbolicTerms(Network network) {
    List<String> terms = new ArrayList<>();
    for (ComponentParams c : network.params()) {
      if (c.subModel() != null) {
        terms.addAll(symbolicTerms(c.subModel()));
      }
      c.slots().stream().filter(s -> s.present() && s.trainable() && s.count() < 0)
          .forEach(s -> terms.add(s.shape().stream().map(Dim::toString).collect(Collectors.joining("·"))));
    }
    return terms;
  }

  private static long flops(Network network) {
    return network.steps().stream().mapToLong(Step::flopsPerExample).sum();
  }

  private static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A parameter count with its float32 size, as Flax prints it: {@code 320 (1.3 KB)}. */
  static String count(long n) {
    double bytes = n * 4.0;
    String size;
    if (bytes < 1e3) {
      size = String.format(Locale.ROOT, "%d B", (long) bytes);
    } else if (bytes < 1e6) {
      size = String.format(Locale.ROOT, "%.1f KB", bytes / 1e3);
    } else if (bytes < 1e9) {
      size = String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    } else {
      size = String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
    return number(n) + " (" + size + ")";
  }
}
