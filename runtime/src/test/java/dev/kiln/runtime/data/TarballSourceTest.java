package dev.kiln.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.io.MalformedFileException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarballSourceTest {
  @TempDir Path root;

  private static final List<String> FILES = List.of("a.json", "b.json");

  private static TarballSource source(Path tarball, String integrity) {
    return new TarballSource("Tiny", "KILN_TINY", "tiny", tarball.toUri(), integrity,
        Map.of("a.json", "package/fixtures/a.json", "b.json", "package/fixtures/b.json"),
        Map.of("a.json", List.of("a.txt")));
  }

  @Test
  void downloadsVerifiesExtractsAndDeletesTheTarball() throws IOException {
    Map<String, byte[]> members = new LinkedHashMap<>();
    members.put("package/package.json", "{}".getBytes(StandardCharsets.UTF_8));
    members.put("package/fixtures/a.json", "[1]".getBytes(StandardCharsets.UTF_8));
    members.put("package/fixtures/b.json", new byte[1000]);
    Path tgz = Files.write(root.resolve("tiny-1.0.0.tgz"), gzip(tar(members, true)));
    Path cacheRoot = root.resolve("cache");
    List<Path> files = new DatasetResolver(Map.of(), cacheRoot, false).resolve(source(tgz, integrity(tgz)), null, FILES);
    Path cache = cacheRoot.resolve("tiny");
    assertEquals(List.of(cache.resolve("a.json"), cache.resolve("b.json")), files);
    assertEquals("[1]", Files.readString(files.get(0)));
    assertEquals(1000, Files.size(files.get(1)));
    try (var left = Files.list(cache)) {
      assertEquals(2, left.count(), "only the extracted files remain");
    }
  }

  @Test
  void readsUstarPrefixesAndPaxPaths() throws IOException {
    String longName = "x".repeat(120) + "/c.json";
    String renamed = "y".repeat(120) + "/b.json";
    Map<String, byte[]> members = new LinkedHashMap<>();
    members.put(longName, "[3]".getBytes(StandardCharsets.UTF_8));
    members.put("PaxHeader/b", paxPath("package/fixtures/b.json")); // as node-tar writes for long names
    members.put(renamed, "[2]".getBytes(StandardCharsets.UTF_8));
    Map<String, byte[]> found = Tar.read(new ByteArrayInputStream(tar(members, false)),
        Set.of(longName, renamed, "package/fixtures/b.json"), 100);
    assertEquals(Set.of(longName, "package/fixtures/b.json"), found.keySet());
    assertEquals("[2]", new String(found.get("package/fixtures/b.json"), StandardCharsets.UTF_8));
    var e = assertThrows(MalformedFileException.class,
        () -> Tar.read(new ByteArrayInputStream(tar(members, true)), Set.of(longName), 2));
    assertTrue(e.getMessage().contains("has 3 bytes, more than the 2 expected"), e.getMessage());
    byte[] cut = java.util.Arrays.copyOf(tar(members, true), 512 + 100);
    assertThrows(MalformedFileException.class, () -> Tar.read(new ByteArrayInputStream(cut), Set.of(longName), 100));
  }

  @Test
  void integrityMismatchLeavesNothing() throws IOException {
    Path tgz = Files.write(root.resolve("tiny-1.0.0.tgz"),
        gzip(tar(Map.of("package/fixtures/a.json", new byte[1], "package/fixtures/b.json", new byte[1]), true)));
    String wrong = "sha512-" + Base64.getEncoder().encodeToString(new byte[64]);
    Path cacheRoot = root.resolve("cache");
    var e = assertThrows(UncheckedIOException.class,
        () -> new DatasetResolver(Map.of(), cacheRoot, false).resolve(source(tgz, wrong), null, FILES));
    assertTrue(e.getMessage().contains("checksum mismatch for " + tgz.toUri()), e.getMessage());
    assertTrue(e.getMessage().contains("expected SHA-512 " + "0".repeat(128) + " of the file's bytes"), e.getMessage());
    try (var left = Files.list(cacheRoot.resolve("tiny"))) {
      assertFalse(left.findAny().isPresent(), "no partial or unverified file is left behind");
    }
  }

  @Test
  void notATarOrLackingAMemberFailsClearly() throws IOException {
    Path text = Files.write(root.resolve("text.tgz"), gzip("just some text".repeat(100).getBytes(StandardCharsets.UTF_8)));
    var e = assertThrows(UncheckedIOException.class, () -> new DatasetResolver(Map.of(), root.resolve("c1"), false)
        .resolve(source(text, integrity(text)), null, FILES));
    assertTrue(e.getMessage().contains("not a tar archive"), e.getMessage());

    Path half = Files.write(root.resolve("half.tgz"), gzip(tar(Map.of("package/fixtures/a.json", new byte[1]), true)));
    e = assertThrows(UncheckedIOException.class, () -> new DatasetResolver(Map.of(), root.resolve("c2"), false)
        .resolve(source(half, integrity(half)), null, FILES));
    assertTrue(e.getMessage().contains("half.tgz lacks package/fixtures/b.json"), e.getMessage());
    try (var left = Files.list(root.resolve("c2").resolve("tiny"))) {
      assertFalse(left.findAny().isPresent(), "nothing is extracted from an incomplete tarball");
    }
  }

  @Test
  void otherNamesAreFoundInDirectories() throws IOException {
    Path dir = Files.createDirectories(root.resolve("env"));
    Files.writeString(dir.resolve("a.txt"), "a");
    Files.writeString(dir.resolve("b.json"), "b");
    Path tgz = Files.write(root.resolve("unused.tgz"), new byte[1]);
    List<Path> files = new DatasetResolver(Map.of("KILN_TINY", dir.toString()), root.resolve("cache"), false)
        .resolve(source(tgz, integrity(tgz)), null, FILES);
    assertEquals(List.of(dir.resolve("a.txt"), dir.resolve("b.json")), files);
  }

  @Test
  void refusesAnIntegrityStringItCannotCheck() {
    assertThrows(IllegalArgumentException.class, () -> source(root, "md5-abc"));
    assertThrows(IllegalArgumentException.class, () -> source(root, "sha1-abc"));
  }

  static String integrity(Path file) throws IOException {
    try {
      return "sha512-" + Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-512").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  /**
   * A ustar archive of regular files (names over 100 characters split into prefix and name); a name
   * starting {@code PaxHeader/} becomes a pax extended header. Ends with the two zero blocks if asked.
   */
  static byte[] tar(Map<String, byte[]> members, boolean endBlocks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, byte[]> m : members.entrySet()) {
      byte[] header = new byte[512];
      String name = m.getKey();
      String prefix = "";
      if (name.length() > 100) {
        int slash = name.lastIndexOf('/');
        prefix = name.substring(0, slash);
        name = name.substring(slash + 1);
      }
      put(header, 0, name);
      put(header, 100, "0000644");
      put(header, 124, String.format("%011o", m.getValue().length));
      header[156] = (byte) (m.getKey().startsWith("PaxHeader/") ? 'x' : '0');
      put(header, 257, "ustar");
      put(header, 263, "00");
      put(header, 345, prefix);
      put(header, 148, "        ");
      int sum = 0;
      for (byte b : header) {
        sum += b & 0xFF;
      }
      put(header, 148, String.format("%06o", sum));
      header[154] = 0;
      header[155] = ' ';
      out.writeBytes(header);
      out.writeBytes(m.getValue());
      out.writeBytes(new byte[(512 - m.getValue().length % 512) % 512]);
    }
    if (endBlocks) {
      out.writeBytes(new byte[1024]);
    }
    return out.toByteArray();
  }

  private static byte[] paxPath(String path) {
    String record = " path=" + path + "\n";
    int length = record.length() + 2;
    return (length + record).getBytes(StandardCharsets.UTF_8);
  }

  private static void put(byte[] header, int offset, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
