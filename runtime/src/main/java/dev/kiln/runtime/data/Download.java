package dev.kiln.runtime.data;

import dev.kiln.runtime.train.ProgressBar;
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

/**
 * Downloads one dataset file into place: to {@code <target>.part} with a progress bar (bytes), then
 * verifies its {@link Checksum}, then renames it over {@code target}. A failed or mismatching
 * download deletes the partial file, so a later run never mistakes it for the dataset.
 */
final class Download {
  private Download() {}

  static void fetch(URI url, Path target, Checksum expected, boolean progress) throws IOException {
    Files.createDirectories(target.getParent());
    Path part = target.resolveSibling(target.getFileName() + ".part");
    try {
      transfer(url, part, target.getFileName().toString(), progress);
      String actual = expected.of(part);
      if (!actual.equals(expected.hex())) {
        throw new IOException("checksum mismatch for " + url + ": expected " + expected + ", found " + actual
            + "; the partial file was deleted");
      }
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      Files.deleteIfExists(part);
      throw e;
    }
  }

  /** Copies {@code url} into {@code part}, forced to disk; a transport failure names the URL. */
  private static void transfer(URI url, Path part, String label, boolean progress) throws IOException {
    try {
      URLConnection connection = url.toURL().openConnection();
      connection.setConnectTimeout(30_000);
      connection.setReadTimeout(60_000);
      long length = connection.getContentLengthLong();
      ProgressBar bar = progress
          ? ProgressBar.onConsole("downloading " + label, length, ProgressBar.Unit.BYTES, "")
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
    } catch (IOException e) {
      throw new IOException("could not download " + url + ": " + e, e);
    }
  }
}
