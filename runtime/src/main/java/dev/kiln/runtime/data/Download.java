package dev.kiln.runtime.data;

import dev.kiln.runtime.train.ProgressBar;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * Downloads one dataset file into place: to {@code <target>.part} with a progress bar (bytes), then
 * verifies the SHA-256 of its uncompressed content, then renames it over {@code target}. A failed or
 * mismatching download deletes the partial file, so a later run never mistakes it for the dataset.
 */
final class Download {
  private Download() {}

  static void fetch(URI url, Path target, String expectedSha256, boolean progress) throws IOException {
    if (expectedSha256 == null) {
      throw new IOException("no checksum known for " + url + "; refusing to download it unverified");
    }
    Files.createDirectories(target.getParent());
    Path part = target.resolveSibling(target.getFileName() + ".part");
    try {
      URLConnection connection = url.toURL().openConnection();
      connection.setConnectTimeout(30_000);
      connection.setReadTimeout(60_000);
      long length = connection.getContentLengthLong();
      ProgressBar bar = progress
          ? ProgressBar.onConsole("downloading " + target.getFileName(), length, ProgressBar.Unit.BYTES, "")
          : null;
      try (InputStream in = connection.getInputStream();
          FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING);
          OutputStream out = Channels.newOutputStream(channel)) {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
          out.write(buffer, 0, n);
          if (bar != null) {
            bar.advance(n, n);
          }
        }
        out.flush();
        channel.force(true);
      }
      if (bar != null) {
        bar.finish();
      }
      String actual = contentSha256(part);
      if (!actual.equalsIgnoreCase(expectedSha256)) {
        throw new IOException("checksum mismatch for " + url + ": expected SHA-256 " + expectedSha256
            + " of the uncompressed content, found " + actual + "; the partial file was deleted");
      }
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      Files.deleteIfExists(part);
      throw e;
    }
  }

  /** SHA-256 of the file's bytes after gunzip (of the bytes themselves if it is not gzip). */
  static String contentSha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      try (InputStream in = new DigestInputStream(gzip ? new GZIPInputStream(raw) : raw, digest)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
