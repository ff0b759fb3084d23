package dev.kiln.runtime.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds a dataset's files, in this order: an explicit directory, the source's environment
 * variable, the cache ({@code ~/.cache/kiln/<name>}), a system copy (Debian's
 * {@code dataset-fashion-mnist} for Fashion-MNIST), then a download into the cache with checksums
 * (each {@link DatasetSource} knows how its dataset is published).
 * The first place holding every requested file wins. An explicit directory that lacks a file is an
 * error at once (the caller asked for that place); otherwise, when nothing resolves, the error lists
 * every place tried and why each failed. The environment and cache root are injected so tests can
 * exercise the order.
 */
public final class DatasetResolver {
  private final Map<String, String> environment;
  private final Path cacheRoot;
  private final boolean progress;

  public DatasetResolver(Map<String, String> environment, Path cacheRoot, boolean progress) {
    this.environment = environment;
    this.cacheRoot = cacheRoot;
    this.progress = progress;
  }

  /** The process environment, {@code ~/.cache/kiln}, download progress shown. */
  public static DatasetResolver standard() {
    return new DatasetResolver(System.getenv(), Path.of(System.getProperty("user.home"), ".cache", "kiln"), true);
  }

  /** The paths of {@code files} (canonical names), in the same order. */
  public List<Path> resolve(DatasetSource source, Path explicitDir, List<String> files) {
    if (explicitDir != null) {
      List<String> missing = new ArrayList<>();
      List<Path> found = find(source, explicitDir, files, missing);
      if (found == null) {
        throw new IllegalStateException(source.name() + ": explicit directory " + explicitDir + " lacks " + missing);
      }
      return found;
    }
    List<String> tried = new ArrayList<>();
    String env = environment.get(source.envVar());
    List<Path> found = tryDir(source, env == null || env.isBlank() ? null : Path.of(env),
        "environment variable " + source.envVar(), files, tried);
    if (found != null) {
      return found;
    }
    Path cache = cacheRoot.resolve(source.cacheName());
    found = tryDir(source, cache, "cache", files, tried);
    if (found != null) {
      return found;
    }
    found = tryDir(source, source.systemDir(), "system copy", files, tried);
    if (found != null) {
      return found;
    }
    try {
      source.download(files, cache, progress);
      return files.stream().map(cache::resolve).toList();
    } catch (IOException e) {
      tried.add("download: " + e.getMessage());
    }
    throw new UncheckedIOException(new IOException(source.name() + " " + files + " not found; tried, in order:\n  "
        + String.join("\n  ", tried) + "\nPass a directory explicitly or set " + source.envVar() + "."));
  }

  private static List<Path> tryDir(DatasetSource source, Path dir, String place, List<String> files,
      List<String> tried) {
    if (dir == null) {
      tried.add(place + ": not set");
      return null;
    }
    List<String> missing = new ArrayList<>();
    List<Path> found = find(source, dir, files, missing);
    if (found == null) {
      tried.add(place + " " + dir + ": " + (Files.isDirectory(dir) ? "lacks " + missing : "no such directory"));
    }
    return found;
  }

  /** Each file under the first of its accepted names; null (and the missing names) if any is absent. */
  private static List<Path> find(DatasetSource source, Path dir, List<String> files, List<String> missing) {
    List<Path> found = new ArrayList<>();
    for (String file : files) {
      source.namesOf(file).stream().map(dir::resolve).filter(Files::isRegularFile).findFirst()
          .ifPresentOrElse(found::add, () -> missing.add(file));
    }
    return missing.isEmpty() ? found : null;
  }
}
