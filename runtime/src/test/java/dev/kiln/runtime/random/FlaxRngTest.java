package dev.kiln.runtime.random;

import static dev.kiln.runtime.random.Fixtures.assertBitExact;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.kiln.runtime.testing.Parity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flax's per-parameter keys, checked through every Flax-initialised kernel in the fixtures. */
class FlaxRngTest {
  private static final Initializer LECUN = Initializers.lecunNormal();

  @Test
  void hashesPathAndCounter() {
    PRNGKey root = PRNGKey.of(42);
    // SHA-1("conv1\x01") starts with fb4c9b91
    assertEquals(new PRNGKey(1199040826, (int) 4075032039L), FlaxRng.paramKey(root, List.of("conv1"), 1));
    assertEquals(root.foldIn(0x98432E96), FlaxRng.paramKey(root, List.of("conv2"), 1));
    assertEquals(root.foldIn(0xCBD08B95), FlaxRng.paramKey(root, List.of("dense"), 1));
    assertEquals(root.foldIn(0xBF8B4530), FlaxRng.paramKey(root, List.of(), 1));
    assertEquals(root.foldIn(0x80CE6615), FlaxRng.paramKey(root, List.of("encoder", "layers_0"), 1));
  }

  /** Counter 256 is encoded as two bytes (01 00), like Python's int.to_bytes. */
  @Test
  void scopesCountPerPath() {
    PRNGKey root = PRNGKey.of(42);
    FlaxRng rng = new FlaxRng(root);
    assertEquals(FlaxRng.paramKey(root, List.of("conv1"), 1), rng.scope("conv1").nextKey());
    assertEquals(FlaxRng.paramKey(root, List.of("conv1"), 2), rng.scope("conv1").nextKey());
    assertEquals(FlaxRng.paramKey(root, List.of("conv2"), 1), rng.scope("conv2").nextKey());
    FlaxRng.Scope enc = rng.scope("encoder");
    assertEquals(FlaxRng.paramKey(root, List.of("encoder", "layers_0"), 1), enc.child("layers_0").nextKey());
    assertEquals(FlaxRng.paramKey(root, List.of("encoder"), 1), enc.nextKey());
    assertEquals(FlaxRng.paramKey(root, List.of(), 1), rng.root().nextKey());
    assertEquals(FlaxRng.paramKey(root, List.of("conv1"), 256), root.foldIn(sha1Prefix("conv1", (byte) 1, (byte) 0)));
    assertNotEquals(FlaxRng.paramKey(root, List.of("ab"), 1), FlaxRng.paramKey(root, List.of("a", "b"), 2));
  }

  private static int sha1Prefix(String name, byte... tail) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-1");
      md.update(name.getBytes(StandardCharsets.UTF_8));
      byte[] h = md.digest(tail);
      return ByteBuffer.wrap(h).getInt();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code CNN().init(PRNGKey(42))}: all 520,874 values. */
  @Test
  void cnnInit42IsBitExact() {
    assertCnn(Parity.ops(), "rng/cnn_init42/", PRNGKey.of(42));
  }

  /** W1's parameters from {@code PRNGKey(0)}. */
  @Test
  void w1InitIsBitExact() {
    assertCnn(Parity.models(), "W1/params/", PRNGKey.of(0));
  }

  private static void assertCnn(Parity p, String prefix, PRNGKey root) {
    FlaxRng rng = new FlaxRng(root);
    long[][] shapes = {{3, 3, 1, 32}, {3, 3, 32, 64}, {50176, 10}};
    String[] names = {"conv1", "conv2", "dense"};
    for (int i = 0; i < names.length; i++) {
      FlaxRng.Scope scope = rng.scope(names[i]);
      long[] shape = shapes[i];
      assertBitExact(p.raw(prefix + names[i] + "/kernel"), LECUN.init(scope.nextKey(), shape), names[i] + "/kernel");
      assertBitExact(p.raw(prefix + names[i] + "/bias"),
          Initializers.zeros().init(scope.nextKey(), shape[shape.length - 1]), names[i] + "/bias");
    }
  }

  /** W3's nested nn.Sequential layers from {@code PRNGKey(0)}. */
  @Test
  void w3KernelsAreBitExact() {
    FlaxRng rng = new FlaxRng(PRNGKey.of(0));
    String[][] layers = {
      {"encoder", "layers_0"}, {"encoder", "layers_2"}, {"decoder", "layers_0"}, {"decoder", "layers_2"}
    };
    for (String[] path : layers) {
      String name = "W3/params/" + String.join("/", path) + "/kernel";
      long[] shape = Parity.models().raw(name).shape();
      assertBitExact(Parity.models().raw(name), LECUN.init(rng.scope(path).nextKey(), shape), name);
    }
  }

  /** Root-level Dense/Conv/ConvTranspose of flax_ops.npz and flax_ops2.npz: suffix (1,) from PRNGKey(0). */
  @Test
  void rootLayerKernelsAreBitExact() {
    PRNGKey key = new FlaxRng(PRNGKey.of(0)).root().nextKey();
    for (String c : List.of("dense", "conv_same_s1", "conv_same_s2_odd", "conv_same_s2_even", "conv_valid",
        "conv_5x5_nobias", "convT_same_s2", "convT_same_s1", "convT_valid_s2")) {
      assertKernel(Parity.ops(), c + "/params/kernel", key);
    }
    for (String c : List.of("convT_k4_s2_same", "convT_k2_s2_same", "convT_k5_s2_same", "convT_k3_s2_tk",
        "conv_k4_s2_same", "conv_dilated", "conv_explicit_pad")) {
      assertKernel(Parity.ops2(), c + "/params/kernel", key);
    }
  }

  private static void assertKernel(Parity p, String name, PRNGKey key) {
    assertBitExact(p.raw(name), LECUN.init(key, p.raw(name).shape()), name);
  }

  /** LSTM input kernels (lecun_normal) bit for bit; orthogonal recurrent kernels within 1e-6. */
  @Test
  void recurrentCellsMatchFlax() {
    assertCell(Parity.ops(), "lstm_cell/params/", List.of(), PRNGKey.of(0), "i", "f", "g", "o");
    assertCell(Parity.ops(), "lstm_scan/params/", List.of("cell"), PRNGKey.of(0), "i", "f", "g", "o");
    assertCell(Parity.ops2(), "init42/params/", List.of(), PRNGKey.of(42), "i", "f", "g", "o");
    assertCell(Parity.ops2(), "init42/gru_params/", List.of(), PRNGKey.of(42), "r", "z", "n");
    assertCell(Parity.ops2(), "gru_cell/params/", List.of(), PRNGKey.of(0), "r", "z", "n");
    assertCell(Parity.ops2(), "gru_scan/params/", List.of("cell"), PRNGKey.of(0), "r", "z", "n");
    for (String dir : List.of("forward_rnn", "backward_rnn")) {
      assertCell(Parity.ops2(), "bilstm/params/", List.of(dir, "cell"), PRNGKey.of(0), "i", "f", "g", "o");
    }
  }

  private static void assertCell(Parity p, String prefix, List<String> cell, PRNGKey root, String... gates) {
    FlaxRng rng = new FlaxRng(root);
    for (String g : gates) {
      String in = String.join("/", cell) + (cell.isEmpty() ? "" : "/") + "i" + g + "/kernel";
      String hid = in.replace("i" + g + "/", "h" + g + "/");
      FlaxRng.Scope scope = rng.scope(cell.toArray(String[]::new));
      assertBitExact(p.raw(prefix + in), LECUN.init(scope.child("i" + g).nextKey(), p.raw(prefix + in).shape()),
          prefix + in);
      Fixtures.assertClose(p.raw(prefix + hid),
          Initializers.orthogonal().init(scope.child("h" + g).nextKey(), p.raw(prefix + hid).shape()), 1e-6,
          prefix + hid);
    }
  }

  @Test
  void init42EmbedIsBitExact() {
    PRNGKey key = new FlaxRng(PRNGKey.of(42)).root().nextKey();
    assertBitExact(Parity.ops2().raw("init42/embed_params/embedding"), Initializers.embedDefault().init(key, 11, 6),
        "init42 embed");
  }
}
