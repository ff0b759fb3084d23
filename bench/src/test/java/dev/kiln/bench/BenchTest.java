package dev.kiln.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.examples.FashionCnnModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTest {
  @Test
  void workloadIdsAreReadAsWorkloadsMdSpellsThem() {
    assertEquals(Workload.W1B, Workload.of("W1b"));
    assertEquals(Workload.W3C, Workload.of("w3c"));
    assertEquals("W3c", Workload.W3C.id());
    assertEquals(1, Workload.W4.itemsPerStep());
    assertEquals(64, Workload.W2.itemsPerStep());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.of("W5"));
    assertTrue(e.getMessage().contains("W1, W1b, W2, W3, W3c, W4"), e.getMessage());
  }

  @Test
  void summaryTotalRowGivesForwardFlops() {
    // conv1 476,672 + conv2 28,951,552 + dense 1,003,530, as the processor counts them
    assertEquals(476_672L + 28_951_552L + 1_003_530L, SummaryFlops.perExample(FashionCnnModel.INSTANCE.summary()));
    assertThrows(IllegalArgumentException.class, () -> SummaryFlops.perExample("no table"));
  }

  @Test
  void tableShowsRatiosAndSaysWhyAFrameworkIsMissing() {
    Launcher.Outcome kiln = new Launcher.Outcome(new Measurement(100, 10, 128, 1024 * 1024), null, 2.5, "");
    Launcher.Outcome torch = new Launcher.Outcome(new Measurement(200, 10, 128, 512 * 1024), null, 1.0, "");
    Launcher.Outcome none = new Launcher.Outcome(null, "torch is not installed", Double.NaN, "");
    String table = Table.markdown(new java.util.LinkedHashMap<>(java.util.Map.of(Workload.W1,
        new Launcher.Outcome[] {kiln, torch, none})));
    List<String> lines = table.lines().toList();
    assertEquals("| W1 fashion-cnn | images/s | 1,280.0 | 2,560.0 | n/a | 0.50 | - | 1024 / 512 / - | 2.50 s |",
        lines.get(2));
    assertEquals("- W1 DL4J: torch is not installed", lines.get(3));
  }

  @Test
  void commandLineNamesWorkloadsOrDefaultsToAll() {
    assertEquals(List.of(Workload.values()).size(), Bench.parse(new String[] {"--seconds", "3"}).workloadCount());
    assertEquals(2, Bench.parse(new String[] {"W1", "W4"}).workloadCount());
    assertThrows(IllegalArgumentException.class, () -> Bench.parse(new String[] {"--bogus"}));
    assertThrows(IllegalArgumentException.class, () -> Bench.parse(new String[] {"--seconds"}));
  }
}
