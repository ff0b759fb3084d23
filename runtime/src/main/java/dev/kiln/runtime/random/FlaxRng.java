package dev.kiln.runtime.random;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flax's key derivation for one rng stream ({@code 'params'}, {@code 'dropout'}, ...): each call of
 * {@code make_rng} in a module scope bumps that scope's counter and folds the SHA-1 of the scope path
 * plus counter into the stream's root key ({@code flax.core.scope.LazyRng}, recipe section 12). With
 * it, generated code gets the very key Flax gives each parameter, e.g.
 * {@code new FlaxRng(PRNGKey.of(42)).scope("conv1").nextKey()} for {@code conv1/kernel}.
 *
 * <p>An instance holds one counter per scope path; it is not thread-safe.
 */
public final class FlaxRng {
  private final PRNGKey root;
  private final Map<List<String>, Integer> counters = new HashMap<>();

  /** A stream whose root key is the one given to {@code init}/{@code apply} ({@code rngs={name: root}}). */
  public FlaxRng(PRNGKey root) {
    this.root = root;
  }

  /**
   * The key of the {@code counter}-th (1-based) {@code make_rng} call in the scope at
   * {@code scopePath} (submodule names from the root; empty for the root module):
   * {@code fold_in(root, first 4 bytes big-endian of SHA-1(path..., counter))}. Flax never hashes the
   * parameter name, so a module's parameters differ only by declaration order (kernel 1, bias 2).
   */
  public static PRNGKey paramKey(PRNGKey root, List<String> scopePath, int counter) {
    if (counter < 1) {
      throw new IllegalArgumentException("Flax rng counters start at 1, got " + counter);
    }
    ByteArrayOutputStream suffix = new ByteArrayOutputStream();
    for (String name : scopePath) {
      suffix.writeBytes(name.getBytes(StandardCharsets.UTF_8));
    }
    // Python's int.to_bytes((bit_length + 7) // 8, 'big'): minimal big-endian bytes
    byte[] c = BigInteger.valueOf(counter).toByteArray();
    int skip = c[0] == 0 ? 1 : 0;
    suffix.write(c, skip, c.length - skip);
    byte[] h = sha1(suffix.toByteArray());
    int data = ((h[0] & 0xFF) << 24) | ((h[1] & 0xFF) << 16) | ((h[2] & 0xFF) << 8) | (h[3] & 0xFF);
    return root.foldIn(data);
  }

  /** The root module's scope. */
  public Scope root() {
    return new Scope(List.of());
  }

  /** The scope of a submodule path, e.g. {@code scope("encoder", "layers_0")}. */
  public Scope scope(String... path) {
    return new Scope(List.of(path));
  }

  /** One module scope of this stream; scopes with equal paths share their counter. */
  public final class Scope {
    private final List<String> path;

    private Scope(List<String> path) {
      this.path = path;
    }

    /** The scope of the child module {@code name}. */
    public Scope child(String name) {
      List<String> p = new ArrayList<>(path);
      p.add(name);
      return new Scope(List.copyOf(p));
    }

    /** {@code make_rng}: the next key of this scope (the counter starts at 1). */
    public PRNGKey nextKey() {
      int counter = counters.merge(path, 1, Integer::sum);
      return paramKey(root, path, counter);
    }
  }

  private static byte[] sha1(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-1", e);
    }
  }
}
