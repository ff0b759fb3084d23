package dev.kiln.runtime.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * What a downloaded file must hash to before Kiln uses it. Two kinds exist because sources publish
 * two kinds: IDX datasets are checked by the SHA-256 of their uncompressed content (mirrors and
 * distributions recompress, so the gzip bytes differ while the content is the same), and npm
 * packages by their registry's {@code dist.integrity}, a Subresource Integrity string
 * ({@code sha512-<base64>}) over the tarball's own bytes.
 *
 * @param algorithm a {@link MessageDigest} name ({@code SHA-256}, {@code SHA-512})
 * @param hex the expected digest, lower-case hexadecimal
 * @param ofContent whether the digest is over the bytes after gunzip (gzip recognised by its magic
 *     bytes, not by the name) rather than over the file's bytes
 */
record Checksum(String algorithm, String hex, boolean ofContent) {

  /** The SHA-256 of a file's uncompressed content. */
  static Checksum contentSha256(String hex) {
    return new Checksum("SHA-256", hex.toLowerCase(Locale.ROOT), true);
  }

  /** A Subresource Integrity string such as npm's {@code dist.integrity}: {@code sha512-<base64>}. */
  static Checksum integrity(String sri) {
    int dash = sri.indexOf('-');
    String algorithm = dash < 0 ? "" : sri.substring(0, dash).toUpperCase(Locale.ROOT).replace("SHA", "SHA-");
    if (!algorithm.equals("SHA-256") && !algorithm.equals("SHA-384") && !algorithm.equals("SHA-512")) {
      throw new IllegalArgumentException("not a sha256/sha384/sha512 integrity string: " + sri);
    }
    return new Checksum(algorithm, HexFormat.of().formatHex(Base64.getDecoder().decode(sri.substring(dash + 1))),
        false);
  }

  /** This checksum's digest of {@code file}, lower-case hexadecimal. */
  String of(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      boolean gzip = ofContent && raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      try (InputStream in = new DigestInputStream(gzip ? new GZIPInputStream(raw) : raw, digest)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  @Override
  public String toString() {
    return algorithm + " " + hex + (ofContent ? " of the uncompressed content" : " of the file's bytes");
  }
}
