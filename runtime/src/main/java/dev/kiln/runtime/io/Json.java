package dev.kiln.runtime.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON that Kiln reads (safetensors headers, vocabulary files, the sentiment sentences of the
 * npm package {@code sentiment}), and no more, so Kiln takes no JSON dependency: objects (key order
 * kept, duplicate keys refused), arrays, strings with every escape, integers and {@code null}.
 * Fractions, exponents, {@code true} and {@code false} occur in none of them and are refused;
 * nesting deeper than {@link #MAX_DEPTH} is refused, so a hostile file cannot overflow the stack.
 */
public final class Json {
  static final int MAX_DEPTH = 32;

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Parses one JSON value (trailing whitespace allowed): a {@code LinkedHashMap<String, Object>},
   * {@code List<Object>}, {@code String}, {@code Long} or null (JSON's {@code null}).
   *
   * @throws MalformedFileException if the text is not such JSON, naming the character where it fails
   */
  public static Object parse(String text) throws IOException {
    Json json = new Json(text);
    Object value = json.value(0);
    json.skipWhitespace();
    if (json.pos != text.length()) {
      throw json.error("unexpected text after the JSON value");
    }
    return value;
  }

  /** A JSON string literal for {@code s}. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private Object value(int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
    }
    skipWhitespace();
    if (pos >= text.length()) {
      throw error("unexpected end of JSON");
    }
    char c = text.charAt(pos);
    if (c == '{') {
      return object(depth);
    } else if (c == '[') {
      return array(depth);
    } else if (c == '"') {
      return string();
    } else if (c == '-' || c >= '0' && c <= '9') {
      return integer();
    } else if (text.startsWith("null", pos)) {
      pos += 4;
      return null;
    }
    throw error("unexpected character '" + c + "'");
  }

  private Map<String, Object> object(int depth) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    pos++;
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a string key");
      }
      String key = string();
      skipWhitespace();
      expect(':');
      if (map.containsKey(key)) {
        throw error("duplicate key " + quote(key));
      }
      map.put(key, value(depth + 1));
      skipWhitespace();
      if (peek() == ',') {
        pos++;
      } else {
        expect('}');
        return map;
      }
    }
  }

  private List<Object> array(int depth) throws IOException {
    List<Object> list = new ArrayList<>();
    pos++;
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      list.add(value(depth + 1));
      skipWhitespace();
      if (peek() == ',') {
        pos++;
      } else {
        expect(']');
        return list;
      }
    }
  }

  private String string() throws IOException {
    pos++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      } else if (c < 0x20) {
        throw error("control character in a string");
      } else if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated escape");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
          }
          int code = 0;
          for (int i = 0; i < 4; i++) {
            int digit = "0123456789abcdef".indexOf(Character.toLowerCase(text.charAt(pos)));
            if (digit < 0) {
              throw error("malformed \\u escape: expected 4 hexadecimal digits");
            }
            code = code * 16 + digit;
            pos++;
          }
          out.append((char) code);
        }
        default -> throw error("unknown escape \\" + e);
      }
    }
  }

  private Long integer() throws IOException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    if (pos < text.length() && ".eE".indexOf(text.charAt(pos)) >= 0) {
      throw error("only integers are supported, not fractions or exponents");
    }
    try {
      return Long.parseLong(text.substring(start, pos));
    } catch (NumberFormatException ex) {
      throw error("malformed or out-of-range integer '" + text.substring(start, pos) + "'");
    }
  }

  private char peek() throws IOException {
    if (pos >= text.length()) {
      throw error("unexpected end of JSON");
    }
    return text.charAt(pos);
  }

  private void expect(char c) throws IOException {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private void skipWhitespace() {
    while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
  }

  private MalformedFileException error(String what) {
    return new MalformedFileException("malformed JSON at character " + pos + ": " + what);
  }
}
