package dev.kiln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MsgPackTest {
  private static final MsgPack.ExtDecoder NO_EXT = (type, data, offset) -> {
    throw new IOException("no ext expected");
  };

  private static String hex(Object value) {
    return HexFormat.of().formatHex(MsgPack.write(value, null));
  }

  /** The encodings Python's msgpack (use_bin_type=True) chooses, at every width boundary. */
  @Test
  void writesTheShortestFormAsPythonMsgpackDoes() {
    assertEquals("00", hex(0L));
    assertEquals("7f", hex(127L));
    assertEquals("cc80", hex(128L));
    assertEquals("cdffff", hex(65535L));
    assertEquals("ce00010000", hex(65536L));
    assertEquals("cf0000000100000000", hex(1L << 32));
    assertEquals("ff", hex(-1L));
    assertEquals("e0", hex(-32L));
    assertEquals("d0df", hex(-33L));
    assertEquals("d1ff7f", hex(-129L));
    assertEquals("d2ffff7fff", hex(-32769L));
    assertEquals("d3ffffffff7fffffff", hex(-2147483649L));
    assertEquals("cb3ff0000000000000", hex(1.0));
    assertEquals("ca3f800000", hex(1.0f));
    assertEquals("c0c2c3", hex(null) + hex(false) + hex(true));
    assertEquals("a3616263", hex("abc"));
    assertEquals("d920" + "61".repeat(32), hex("a".repeat(32)));
    assertEquals("c40201ff", hex(new byte[] {1, -1}));
    assertEquals("dc0010" + "00".repeat(16), hex(new ArrayList<>(Arrays.asList(new Object[16])).stream()
        .map(x -> 0L).toList()));
    assertEquals("d40105d5010506", hex(new MsgPack.Ext(1, new byte[] {5})) + hex(new MsgPack.Ext(1, new byte[] {5, 6})));
    assertEquals("c70301010203", hex(new MsgPack.Ext(1, new byte[] {1, 2, 3})));
  }

  @Test
  void readsWhatItWrites() throws IOException {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("ints", List.of(0L, 200L, -100L, 70000L, Long.MIN_VALUE, Long.MAX_VALUE));
    value.put("floats", List.of(0.5, 1.5f));
    value.put("text", "kernel \u00e9\u4e2d");
    value.put("nil", null);
    value.put("flags", List.of(true, false));
    value.put("nested", Map.of("deeper", Map.of()));
    byte[] bytes = MsgPack.write(value, null);
    Object back = MsgPack.read(bytes, NO_EXT);
    assertEquals(value, back);
    assertArrayEquals(bytes, MsgPack.write(back, null));
    assertArrayEquals(new byte[] {7, 8}, (byte[]) MsgPack.read(MsgPack.write(new byte[] {7, 8}, null), NO_EXT));
    assertNull(MsgPack.read(new byte[] {(byte) 0xc0}, NO_EXT));
  }

  private static String failure(byte[] bytes) {
    return assertThrows(IOException.class, () -> MsgPack.read(bytes, NO_EXT)).getMessage();
  }

  private static String failure(String hex) {
    return failure(HexFormat.of().parseHex(hex));
  }

  @Test
  void refusesTruncatedInputNamingTheOffset() {
    byte[] whole = MsgPack.write(Map.of("kernel", List.of(1L, 2L, 3L)), null);
    for (int cut = 0; cut < whole.length; cut++) {
      String message = failure(Arrays.copyOf(whole, cut));
      assertTrue(message.startsWith("msgpack at byte ") && message.contains("expected"), message);
    }
    assertTrue(failure("a5636f6e").contains("at byte 0: expected str of 5 bytes, found only 3 bytes left"),
        failure("a5636f6e"));
    assertTrue(failure("cd01").contains("at byte 1: expected a uint16, found the end of the input"), failure("cd01"));
  }

  @Test
  void refusesAbsurdLengthsBeforeAllocating() {
    assertTrue(failure("c6ffffff00").contains("at byte 1: expected a length below 2 GiB, found 4294967040"),
        failure("c6ffffff00"));
    assertTrue(failure("c67fff000000").contains("at byte 0: expected bin of 2147418112 bytes, found only 1 bytes left"),
        failure("c67fff000000"));
    assertTrue(failure("dd00ffffff").contains("an array whose 16777215 elements fit the 0 bytes left"),
        failure("dd00ffffff"));
    assertTrue(failure("df00100000c0c0").contains("a map whose 1048576 entries fit the 2 bytes left"),
        failure("df00100000c0c0"));
    assertTrue(failure("c9ffffffff01").contains("a length below 2 GiB"), failure("c9ffffffff01"));
  }

  @Test
  void refusesDeepNesting() {
    byte[] deep = new byte[10_000];
    Arrays.fill(deep, (byte) 0x91); // [[[[...
    String message = failure(deep);
    assertTrue(message.contains("at byte " + MsgPack.MAX_DEPTH + ": expected nesting at most " + MsgPack.MAX_DEPTH),
        message);
    byte[] ok = new byte[MsgPack.MAX_DEPTH + 1];
    Arrays.fill(ok, 0, MsgPack.MAX_DEPTH, (byte) 0x91);
    ok[MsgPack.MAX_DEPTH] = 1;
    assertTrue(assertDoesNotFail(ok) instanceof List<?>);
  }

  private static Object assertDoesNotFail(byte[] bytes) {
    try {
      return MsgPack.read(bytes, NO_EXT);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void refusesWhatFlaxStateDictsNeverHold() {
    assertTrue(failure("c1").contains("0xc1, which msgpack never uses"), failure("c1"));
    assertTrue(failure("810102").contains("at byte 1: expected a string map key"), failure("810102"));
    assertTrue(failure("82a16101a16102").contains("at byte 4: expected distinct map keys, found 'a' a second time"),
        failure("82a16101a16102"));
    assertTrue(failure("a2c328").contains("expected a UTF-8 string, found invalid UTF-8"), failure("a2c328"));
    assertTrue(failure("cfffffffffffffffff").contains("uint64 18446744073709551615"), failure("cfffffffffffffffff"));
    assertTrue(failure("0102").contains("at byte 1: expected end of input after the value, found 1 more bytes"),
        failure("0102"));
    String ext = assertThrows(IOException.class,
        () -> MsgPack.read(HexFormat.of().parseHex("d40705"), null)).getMessage();
    assertTrue(ext.contains("expected no extension values, found ext type 7"), ext);
  }
}
