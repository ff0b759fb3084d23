package dev.kiln.bench;

import java.util.Arrays;
import java.util.Locale;

/** The WORKLOADS.md jobs the benchmark times, with what one training step processes. */
enum Workload {
  W1("fashion-cnn", 128, "images/s"),
  W1B("fashion-lenet", 128, "images/s"),
  W2("sentiment-lstm", 64, "sequences/s"),
  W3("fashion-vae-mlp", 128, "images/s"),
  W3C("fashion-vae-conv", 128, "images/s"),
  W4("fashion-gan-mlp", 128, "steps/s");

  /** Sentiment vocabulary size for synthetic token ids: the W2 training split has about this many ids. */
  static final int VOCABULARY = 5000;
  /** Tokens per W2 sequence (padded or cut). */
  static final int SEQUENCE = 32;
  /** The GAN generator's code size. */
  static final int CODE = 100;

  final String job;
  final int batch;
  /** The throughput unit; a W4 step is one discriminator and one generator update. */
  final String unit;

  Workload(String job, int batch, String unit) {
    this.job = job;
    this.batch = batch;
    this.unit = unit;
  }

  /** The id as WORKLOADS.md spells it: W1, W1b, W3c, ... */
  String id() {
    return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
  }

  /** Items counted per step in {@link #unit}: the batch, or 1 where the unit is steps. */
  int itemsPerStep() {
    return unit.equals("steps/s") ? 1 : batch;
  }

  /** The workload with this id, case-insensitive. */
  static Workload of(String id) {
    return Arrays.stream(values()).filter(w -> w.name().equalsIgnoreCase(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown workload '" + id + "': expected one of "
            + String.join(", ", Arrays.stream(values()).map(Workload::id).toList()) + " or all"));
  }
}
