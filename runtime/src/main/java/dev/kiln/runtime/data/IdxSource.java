package dev.kiln.runtime.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An MNIST-style image-classification dataset stored as IDX files (train and {@code t10k} splits,
 * images and labels each), and every place {@link DatasetResolver} may find it: an environment
 * variable, a directory name under the cache, a system copy and a download source, file by file.
 * Files are named as the canonical source names them ({@code train-images-idx3-ubyte.gz}); the
 * plain, uncompressed name is accepted too.
 *
 * @param envVar environment variable naming a directory with the files
 * @param cacheName directory under the cache root ({@code ~/.cache/kiln/<cacheName>})
 * @param systemDir a distribution's copy, or null if none is known
 * @param downloadBase URL the files are downloaded from (file names appended), or null for none
 * @param sha256 SHA-256 of each file's uncompressed content, by file name; a download is verified
 *     against it (the content, not the gzip bytes, because mirrors and distributions recompress)
 */
public record IdxSource(String name, int classes, String envVar, String cacheName, Path systemDir, URI downloadBase,
    Map<String, String> sha256) implements DatasetSource {

  /** The files of a split ({@code train} or {@code t10k}): images then labels. */
  public static List<String> files(String split) {
    return List.of(split + "-images-idx3-ubyte.gz", split + "-labels-idx1-ubyte.gz");
  }

  @Override
  public List<String> namesOf(String file) {
    return file.endsWith(".gz") ? List.of(file, file.substring(0, file.length() - 3)) : List.of(file);
  }

  @Override
  public void download(List<String> files, Path cacheDir, boolean progress) throws IOException {
    if (downloadBase == null) {
      throw new IOException("no download source with known checksums for " + name);
    }
    for (String file : files) {
      Path target = cacheDir.resolve(file);
      if (!Files.isRegularFile(target)) {
        if (!sha256.containsKey(file)) {
          throw new IOException("no checksum known for " + file + "; refusing to download it unverified");
        }
        Download.fetch(downloadBase.resolve(file), target, Checksum.contentSha256(sha256.get(file)), progress);
      }
    }
  }

  /** Loads a split ({@code train} or {@code t10k}), resolving its files with {@code resolver}. */
  public Dataset load(String split, Path explicitDir, DatasetResolver resolver) {
    List<Path> paths = resolver.resolve(this, explicitDir, files(split));
    try {
      return new Dataset(Idx.readImages(paths.get(0)), Idx.readLabels(paths.get(1), classes));
    } catch (IOException e) {
      throw new UncheckedIOException(name + " " + split + ": " + e.getMessage(), e);
    }
  }
}
