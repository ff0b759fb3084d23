package dev.kiln.runtime.data;

import dev.kiln.runtime.io.MalformedFileException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads chosen regular files out of a tar stream: enough of POSIX ustar for the archives datasets
 * ship in (npm's tarballs and GNU tar's), so Kiln needs no archive library. Names are the ustar
 * prefix and name fields, overridden by a preceding pax {@code path} record or GNU long name. Every
 * header's checksum is verified, so a file that is not tar fails at its first block rather than
 * yielding garbage; a member larger than the caller allows, or an archive cut short, is an error.
 */
final class Tar {
  private static final int BLOCK = 512;

  private Tar() {}

  /**
   * The contents of the regular files named in {@code wanted} that the archive holds, by name;
   * names it lacks are simply absent from the result. Reads until the end-of-archive block (or
   * the end of the stream at a block boundary).
   *
   * @throws MalformedFileException if the stream is not a tar archive, is cut short, or a wanted
   *     member is larger than {@code maxMemberBytes}
   */
  static Map<String, byte[]> read(InputStream in, Set<String> wanted, int maxMemberBytes) throws IOException {
    try {
      return members(in, wanted, maxMemberBytes);
    } catch (EOFException e) {
      String detail = e.getMessage() == null ? "" : ": " + e.getMessage();
      throw new MalformedFileException("tar archive truncated" + detail, e);
    }
  }

  private static Map<String, byte[]> members(InputStream in, Set<String> wanted, int maxMemberBytes)
      throws IOException {
    Map<String, byte[]> found = new LinkedHashMap<>();
    byte[] header = new byte[BLOCK];
    String nextName = null;
    while (readBlock(in, header) && !allZero(header)) {
      verifyChecksum(header);
      String name = nextName != null ? nextName : headerName(header);
      nextName = null;
      long size = octal(header, 124, 12, "size");
      byte type = header[156];
      if (type == 'x' || type == 'L') {
        String text = new String(member(in, size, maxMemberBytes, name), StandardCharsets.UTF_8);
        nextName = type == 'L' ? text.replaceAll("\0+$", "") : paxPath(text);
      } else if ((type == '0' || type == 0) && wanted.contains(name)) {
        found.put(name, member(in, size, maxMemberBytes, name));
      } else {
        in.skipNBytes(padded(size));
      }
    }
    return found;
  }

  /** Reads a member's data and its padding to the next block. */
  private static byte[] member(InputStream in, long size, int maxBytes, String name) throws IOException {
    if (size > maxBytes) {
      throw new MalformedFileException("tar member " + name + " has " + size + " bytes, more than the " + maxBytes + " expected");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length != size) {
      throw new EOFException("inside " + name);
    }
    in.skipNBytes(padded(size) - size);
    return data;
  }

  private static long padded(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }

  /** False at the end of the stream; a partial block is a truncated archive. */
  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n != 0 && n != BLOCK) {
      throw new EOFException("a header block has " + n + " of 512 bytes");
    }
    return n == BLOCK;
  }

  private static boolean allZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** The header checksum: the unsigned sum of its bytes with the checksum field counted as spaces. */
  private static void verifyChecksum(byte[] header) throws IOException {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xFF;
    }
    long stored = octal(header, 148, 8, "checksum");
    if (sum != stored) {
      throw new MalformedFileException("not a tar archive, or a corrupt one: header checksum " + stored + ", computed " + sum);
    }
  }

  private static String headerName(byte[] header) {
    String name = string(header, 0, 100);
    boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    String prefix = ustar ? string(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String string(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** An octal field, ended by NUL or space; GNU's base-256 form only occurs beyond 8 GiB and is refused. */
  private static long octal(byte[] header, int offset, int length, String field) throws IOException {
    long value = 0;
    int i = offset;
    while (i < offset + length && header[i] == ' ') {
      i++;
    }
    for (; i < offset + length && header[i] != 0 && header[i] != ' '; i++) {
      if (header[i] < '0' || header[i] > '7') {
        throw new MalformedFileException("not a tar archive, or a corrupt one: the " + field + " field is not octal");
      }
      value = value * 8 + (header[i] - '0');
    }
    return value;
  }

  /** The {@code path} of a pax extended header ({@code "<length> path=<name>\n"} records), or null. */
  private static String paxPath(String records) {
    for (String record : records.split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("path=", space + 1)) {
        return record.substring(space + 1 + "path=".length());
      }
    }
    return null;
  }
}
