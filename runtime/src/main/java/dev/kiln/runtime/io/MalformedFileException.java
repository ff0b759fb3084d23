package dev.kiln.runtime.io;

import java.io.IOException;

/**
 * A file that Kiln reads (safetensors, {@code .npy}, {@code .npz}, JSON, IDX, tar) is not what its
 * format allows: truncated, with a bad magic number, a header that lies about sizes, offsets past
 * the end, a shape whose size overflows, and so on. The message says what was expected and what
 * was found. Every reader throws this type, and only this type, for any malformed input; other
 * {@link IOException}s mean the file could not be read at all.
 */
public class MalformedFileException extends IOException {
  public MalformedFileException(String message) {
    super(message);
  }

  public MalformedFileException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * {@code e} with {@code where} (a file, an archive entry) put before its message, keeping its
   * kind: a malformed-file error stays one, any other I/O error stays a plain {@link IOException}.
   */
  public static IOException at(Object where, IOException e) {
    String message = where + ": " + e.getMessage();
    return e instanceof MalformedFileException ? new MalformedFileException(message, e) : new IOException(message, e);
  }
}
