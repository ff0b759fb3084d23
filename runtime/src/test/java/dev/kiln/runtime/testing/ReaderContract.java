package dev.kiln.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.io.MalformedFileException;
import java.io.IOException;
import java.lang.management.ManagementFactory;

/**
 * What every file reader promises for any input, checked by the fuzz tests: it returns a valid
 * result or throws {@link MalformedFileException}, never another exception and never an error, and
 * the memory it allocates is bounded by the input's size, whatever sizes the input claims.
 */
public final class ReaderContract {
  /** Allocation allowed for any input: fixed buffers, the caller's limits and first-use class loading. */
  public static final long BASE_BYTES = 64L << 20;
  /** Allocation allowed per input byte (parsed JSON objects, decoded strings, copies). */
  public static final long BYTES_PER_INPUT_BYTE = 64;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private ReaderContract() {}

  /** Reads something from an input. */
  @FunctionalInterface
  public interface Read<T> {
    T read() throws IOException;
  }

  /** Checks a result that was returned. */
  @FunctionalInterface
  public interface Validate<T> {
    void validate(T result) throws IOException;
  }

  /**
   * Runs {@code read} on an input of {@code inputBytes} bytes; a malformed-file error is an answer,
   * anything else propagates and fails the test. A result must pass {@code validate}.
   */
  public static <T> void check(long inputBytes, Read<T> read, Validate<T> validate) throws IOException {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    T result;
    try {
      result = read.read();
    } catch (MalformedFileException expected) {
      assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank(), "an error must say what is wrong");
      result = null;
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    long allowed = BASE_BYTES + BYTES_PER_INPUT_BYTE * inputBytes;
    assertTrue(allocated <= allowed,
        "reading " + inputBytes + " bytes allocated " + allocated + " bytes, more than the " + allowed + " allowed");
    if (result != null) {
      validate.validate(result);
    }
  }
}
