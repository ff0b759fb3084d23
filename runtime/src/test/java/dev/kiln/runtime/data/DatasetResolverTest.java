package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetResolverTest {
  @TempDir Path root;

  private IdxSource source(Path system, URI download, Map<String, String> sha) {
    return new IdxSource("Tiny", 10, "KILN_TINY", "tiny", system, download, sha);
  }

  private static final List<String> TRAIN = IdxSource.files("train");

  private static String contentSha256(Path file) throws IOException {
    return Checksum.contentSha256("").of(file);
  }

  @Test
  void explicitThenEnvironmentThenCacheThenSystem() throws IOException {
    Path explicit = IdxFiles.dataset(root.resolve("explicit"));
    Path env = IdxFiles.dataset(root.resolve("env"));
    Path cacheRoot = root.resolve("cache");
    Path cache = IdxFiles.dataset(cacheRoot.resolve("tiny"));
    Path system = IdxFiles.dataset(root.resolve("system"));
    IdxSource src = source(system, null, Map.of());
    Map<String, String> environment = Map.of("KILN_TINY", env.toString());

    assertEquals(explicit, new DatasetResolver(environment, cacheRoot, false).resolve(src, explicit, TRAIN).get(0)
        .getParent());
    assertEquals(env, new DatasetResolver(environment, cacheRoot, false).resolve(src, null, TRAIN).get(0).getParent());
    assertEquals(cache, new DatasetResolver(Map.of(), cacheRoot, false).resolve(src, null, TRAIN).get(0).getParent());
    assertEquals(system, new DatasetResolver(Map.of(), root.resolve("nocache"), false).resolve(src, null, TRAIN).get(0)
        .getParent());
  }

  @Test
  void acceptsUncompressedFiles() throws IOException {
    Path dir = root.resolve("plain");
    IdxFiles.write(dir.resolve("train-images-idx3-ubyte"), IdxFiles.images(4, 2, 3), false);
    IdxFiles.write(dir.resolve("train-labels-idx1-ubyte"), IdxFiles.labels(0, 1, 2, 3), false);
    Dataset d = source(null, null, Map.of()).load("train", dir, new DatasetResolver(Map.of(), root, false));
    assertArrayEquals(new long[] {4, 2, 3, 1}, d.features().shape());
  }

  @Test
  void nothingFoundListsEveryPlaceTried() {
    IdxSource src = source(root.resolve("nosystem"), null, Map.of());
    var e = assertThrows(UncheckedIOException.class, () -> new DatasetResolver(Map.of(), root.resolve("c"), false)
        .resolve(src, null, TRAIN));
    String m = e.getMessage();
    assertTrue(m.contains("environment variable KILN_TINY: not set"), m);
    assertTrue(m.contains("cache " + root.resolve("c").resolve("tiny") + ": no such directory"), m);
    assertTrue(m.contains("system copy " + root.resolve("nosystem")), m);
    assertTrue(m.contains("download: no download source"), m);
  }

  @Test
  void explicitDirectoryMissingAFileFailsAtOnce() throws IOException {
    Path dir = root.resolve("half");
    IdxFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxFiles.images(4, 2, 3), true);
    var e = assertThrows(IllegalStateException.class, () -> new DatasetResolver(Map.of(), root, false)
        .resolve(source(null, null, Map.of()), dir, TRAIN));
    assertTrue(e.getMessage().contains("lacks [train-labels-idx1-ubyte.gz]"), e.getMessage());
  }

  @Test
  void downloadsIntoTheCacheVerifyingContentChecksums() throws IOException {
    Path remote = IdxFiles.dataset(root.resolve("remote"));
    Map<String, String> sha = Map.of(
        TRAIN.get(0), contentSha256(remote.resolve(TRAIN.get(0))),
        TRAIN.get(1), contentSha256(remote.resolve(TRAIN.get(1))));
    Path cacheRoot = root.resolve("cache");
    IdxSource src = source(null, remote.toUri(), sha);
    List<Path> files = new DatasetResolver(Map.of(), cacheRoot, false).resolve(src, null, TRAIN);
    assertEquals(cacheRoot.resolve("tiny").resolve(TRAIN.get(0)), files.get(0));
    assertArrayEquals(Files.readAllBytes(remote.resolve(TRAIN.get(1))), Files.readAllBytes(files.get(1)));
  }

  @Test
  void checksumMismatchDeletesThePartialFile() throws IOException {
    Path remote = IdxFiles.dataset(root.resolve("remote"));
    String wrong = "0".repeat(64);
    IdxSource src = source(null, remote.toUri(), Map.of(TRAIN.get(0), wrong, TRAIN.get(1), wrong));
    Path cacheRoot = root.resolve("cache");
    var e = assertThrows(UncheckedIOException.class, () -> new DatasetResolver(Map.of(), cacheRoot, false)
        .resolve(src, null, TRAIN));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    assertTrue(e.getMessage().contains("expected SHA-256 " + wrong), e.getMessage());
    try (var left = Files.list(cacheRoot.resolve("tiny"))) {
      assertFalse(left.findAny().isPresent(), "no partial or unverified file is left behind");
    }
  }

  @Test
  void fashionMnistFromAnExplicitDirectory() throws IOException {
    Path dir = IdxFiles.dataset(root.resolve("fm"));
    Dataset train = FashionMnist.train(dir);
    assertEquals(4, train.size());
    assertArrayEquals(new int[] {0, 1, 2, 3}, FashionMnist.test(dir).labels().toIntVector());
    assertEquals("Ankle boot", FashionMnist.classNames().get(9));
  }

  @Test
  void fashionMnistChecksumsMatchTheSystemCopy() throws IOException {
    Path system = FashionMnist.SOURCE.systemDir();
    String file = "t10k-labels-idx1-ubyte.gz";
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(system.resolve(file)), "no system copy");
    assertEquals(FashionMnist.SOURCE.sha256().get(file), contentSha256(system.resolve(file)));
  }
}
