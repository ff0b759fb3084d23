package dev.kiln.runtime.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * A dataset published inside a gzip-compressed tarball (an npm package, say) rather than file by
 * file. {@link DatasetResolver} looks for the extracted files in the usual places; a download
 * fetches the tarball into the cache, verifies it against its Subresource Integrity string (npm's
 * {@code dist.integrity}, over the tarball's bytes), extracts the wanted members and deletes it.
 * Each extracted file is written to {@code <file>.part} and renamed, so an interrupted extraction
 * leaves only whole files, and a later run downloads again for the rest.
 *
 * @param name the dataset's name, for messages
 * @param envVar environment variable naming a directory with the files
 * @param cacheName directory under the cache root
 * @param tarball URL of the {@code .tgz}
 * @param integrity {@code sha512-<base64>} (or sha256/sha384) of the tarball's bytes
 * @param members the path inside the tarball of each file, by canonical file name
 * @param otherNames further names each file is accepted under in a directory, by canonical name
 *     (a dataset published in another form too); files without an entry have only their own name
 */
public record TarballSource(String name, String envVar, String cacheName, URI tarball, String integrity,
    Map<String, String> members, Map<String, List<String>> otherNames) implements DatasetSource {
  /** More than any member a dataset tarball should hold; a larger one is refused, not buffered. */
  private static final int MAX_MEMBER_BYTES = 256 << 20;

  public TarballSource {
    Checksum.integrity(integrity);
  }

  /** No distribution is known to package such a dataset. */
  @Override
  public Path systemDir() {
    return null;
  }

  @Override
  public List<String> namesOf(String file) {
    List<String> names = new ArrayList<>();
    names.add(file);
    names.addAll(otherNames.getOrDefault(file, List.of()));
    return names;
  }

  @Override
  public void download(List<String> files, Path cacheDir, boolean progress) throws IOException {
    List<String> wanted = files.stream().filter(f -> !Files.isRegularFile(cacheDir.resolve(f))).toList();
    if (wanted.isEmpty()) {
      return;
    }
    for (String file : wanted) {
      if (!members.containsKey(file)) {
        throw new IOException(name + " has no file " + file + " in " + tarball);
      }
    }
    String archiveName = tarball.getPath().substring(tarball.getPath().lastIndexOf('/') + 1);
    Path archive = cacheDir.resolve(archiveName);
    Download.fetch(tarball, archive, Checksum.integrity(integrity), progress);
    try {
      Map<String, byte[]> found;
      try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
        found = Tar.read(in, Set.copyOf(members.values()), MAX_MEMBER_BYTES);
      }
      for (String file : wanted) {
        if (!found.containsKey(members.get(file))) {
          throw new IOException(archiveName + " lacks " + members.get(file));
        }
      }
      for (String file : wanted) {
        byte[] content = found.get(members.get(file));
        Path part = cacheDir.resolve(file + ".part");
        Files.write(part, content);
        Files.move(part, cacheDir.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new IOException("extracting " + archive + ": " + e.getMessage(), e);
    } finally {
      Files.deleteIfExists(archive);
    }
  }
}
