package dev.kiln.spark;

/**
 * A data-parallel run that Spark gave up on: a replica failed (an exception, a lost executor) and the
 * barrier stage failed with it, every retry included. Nothing is half-applied: replicas update together
 * or not at all, and the newest checkpoint, if any, is a complete step that a new run resumes from.
 */
public final class DataParallelTrainingException extends RuntimeException {
  DataParallelTrainingException(String message, Throwable cause) {
    super(message, cause);
  }
}
