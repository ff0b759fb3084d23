package dev.kiln.runtime.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A terminal progress bar, for training steps and for downloads:
 * <pre>epoch 2/3 [=========>    ] 312/469  1,530 img/s  loss 0.3412  ETA 0:07</pre>
 * On a terminal ({@code System.console() != null}) it redraws one line with {@code \r}, at most
 * about ten times a second so drawing never costs training time; elsewhere (CI logs, files) it
 * prints a full line at every tenth of the way instead, so logs stay readable.
 *
 * <p>Position ({@code done} of {@code total}) and rate may count different things: a training bar
 * advances by steps and reports images per second. In {@link Unit#BYTES} mode both count bytes and
 * are shown as kB/MB/GB.
 */
public final class ProgressBar {
  /** How counts are displayed. */
  public enum Unit {
    /** Plain counts with thousands separators; the rate is labelled with {@code rateLabel}. */
    COUNT,
    /** Byte counts, shown as B, kB, MB or GB. */
    BYTES
  }

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final String label;
  private final long total;
  private final Unit unit;
  private final String rateLabel;
  private final PrintStream out;
  private final boolean interactive;
  private final LongSupplier clock;
  private final long start;
  private long done;
  private long rateCount;
  private String status = "";
  private long lastDraw = Long.MIN_VALUE;
  private int lastDecile = -1;
  private int drawnWidth;

  /**
   * @param label text before the bar, e.g. {@code epoch 2/3}
   * @param total the count at completion (steps or bytes); 0 or less when unknown
   * @param rateLabel what the rate counts, e.g. {@code img/s} (ignored for bytes)
   * @param interactive redraw in place (terminal) or print a line per tenth (log)
   * @param clock nanosecond time source ({@code System::nanoTime}; injectable for tests)
   */
  public ProgressBar(String label, long total, Unit unit, String rateLabel, PrintStream out, boolean interactive,
      LongSupplier clock) {
    this.label = label;
    this.total = total;
    this.unit = unit;
    this.rateLabel = rateLabel;
    this.out = out;
    this.interactive = interactive;
    this.clock = clock;
    this.start = clock.getAsLong();
  }

  /** A bar on standard error, redrawing in place when a console is attached. */
  public static ProgressBar onConsole(String label, long total, Unit unit, String rateLabel) {
    return new ProgressBar(label, total, unit, rateLabel, System.err, System.console() != null, System::nanoTime);
  }

  /** Advances by {@code steps} positions and {@code rateCount} counted items; redraws if due. */
  public void advance(long steps, long rateCount) {
    this.done += steps;
    this.rateCount += rateCount;
    maybeDraw();
  }

  /** Sets the text shown after the rate (e.g. {@code loss 0.3412}); drawn with the next update. */
  public void status(String status) {
    this.status = status;
  }

  /** Draws the final state and ends the line. */
  public void finish() {
    if (interactive) {
      draw(render());
      out.println();
    } else if (lastDecile < 10) {
      out.println(render());
    }
    out.flush();
  }

  private void maybeDraw() {
    long now = clock.getAsLong();
    if (interactive) {
      if (lastDraw == Long.MIN_VALUE || now - lastDraw >= REDRAW_NANOS) {
        lastDraw = now;
        draw(render());
      }
    } else if (total > 0) {
      int decile = (int) Math.min(10, done * 10 / total);
      if (decile > lastDecile && decile > 0) {
        lastDecile = decile;
        out.println(render());
        out.flush();
      }
    }
  }

  private void draw(String line) {
    StringBuilder s = new StringBuilder("\r").append(line);
    for (int i = line.length(); i < drawnWidth; i++) {
      s.append(' ');
    }
    drawnWidth = line.length();
    out.print(s);
    out.flush();
  }

  /** The current line, without control characters. */
  public String render() {
    double seconds = (clock.getAsLong() - start) / 1e9;
    StringBuilder s = new StringBuilder(label).append(' ');
    if (total > 0) {
      s.append(bar(Math.min(1.0, (double) done / total))).append(' ');
    }
    s.append(count(done));
    if (total > 0) {
      s.append('/').append(count(total));
    }
    double rate = seconds > 0 ? rateCount / seconds : 0;
    if (rateCount > 0 && seconds > 0) {
      s.append("  ").append(unit == Unit.BYTES ? bytes(rate) + "/s" : String.format(Locale.ROOT, "%,d %s",
          Math.round(rate), rateLabel));
    }
    if (!status.isEmpty()) {
      s.append("  ").append(status);
    }
    if (total > 0 && done > 0 && done < total) {
      double remaining = seconds * (total - done) / done;
      s.append("  ETA ").append(duration(remaining));
    } else if (total > 0 && done >= total) {
      s.append("  in ").append(duration(seconds));
    }
    return s.toString();
  }

  private String count(long n) {
    return unit == Unit.BYTES ? bytes(n) : String.format(Locale.ROOT, "%d", n);
  }

  static String bar(double fraction) {
    int filled = (int) Math.floor(fraction * WIDTH);
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < WIDTH; i++) {
      s.append(i < filled ? '=' : i == filled && fraction < 1 && filled > 0 ? '>' : ' ');
    }
    return s.append(']').toString();
  }

  static String bytes(double n) {
    String[] units = {"B", "kB", "MB", "GB"};
    int u = 0;
    while (n >= 1000 && u < units.length - 1) {
      n /= 1000;
      u++;
    }
    return u == 0 ? String.format(Locale.ROOT, "%d B", Math.round(n)) : String.format(Locale.ROOT, "%.1f %s", n,
        units[u]);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
