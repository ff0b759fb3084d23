package dev.kiln.runtime.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Every place {@link DatasetResolver} may find one dataset's files, and how to download them. It is
 * an interface because datasets ship differently: IDX files one by one ({@link IdxSource}), others
 * packed in an archive ({@link TarballSource}); the resolution order is the same for all.
 */
public interface DatasetSource {
  /** The dataset's name, for messages. */
  String name();

  /** Environment variable naming a directory with the files. */
  String envVar();

  /** Directory under the cache root ({@code ~/.cache/kiln/<cacheName>}). */
  String cacheName();

  /** A distribution's copy, or null if none is known. */
  Path systemDir();

  /**
   * The names under which {@code file} (a canonical name) is accepted in a directory, preferred
   * first: a gzip file may also be found uncompressed, a sentence file in another published form.
   */
  List<String> namesOf(String file);

  /**
   * Downloads those of {@code files} (canonical names) that {@code cacheDir} lacks into it,
   * verified; throws, saying why, when it cannot (no download source known, a failed transfer, a
   * checksum mismatch), leaving no unverified file behind.
   */
  void download(List<String> files, Path cacheDir, boolean progress) throws IOException;
}
