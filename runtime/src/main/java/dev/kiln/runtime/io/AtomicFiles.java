package dev.kiln.runtime.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files replaced all at once: the content goes to a temporary file in the same directory, which is
 * synced to disk and renamed over the target, and then the directory is synced so the rename itself
 * survives a power cut. A crash at any point leaves either the old file or the new one, never a torn
 * one (at worst a stray {@code .<name>.<random>.tmp} beside it).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes a file's content to a stream. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes {@code path} atomically, replacing any existing file. */
  public static void write(Path path, Content content) throws IOException {
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(dir);
  }

  /**
   * Makes the rename itself durable. Some platforms cannot open a directory for syncing; there the
   * rename's durability is the file system's, which is the best available.
   */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException unsupported) {
      // best effort: see the method's documentation
    }
  }
}
