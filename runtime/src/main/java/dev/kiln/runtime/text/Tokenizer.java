package dev.kiln.runtime.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * W2's tokenizer, exactly: lower-case the text, then every maximal run of {@code [a-z0-9']} is a
 * token and everything else separates tokens (Python's {@code re.findall(r"[a-z0-9']+",
 * s.lower())}). It is this simple on purpose, so that Kiln, PyTorch, DL4J and Flax runs of W2 see
 * the same tokens: "Don't" is {@code don't}, "slow-moving" is {@code slow} and {@code moving},
 * "10/10" is {@code 10} and {@code 10}, and accented letters split words ("café" gives {@code caf}).
 */
public final class Tokenizer {
  private Tokenizer() {}

  /** The tokens of {@code text}, in order; empty when it has none. */
  public static List<String> tokens(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    List<String> tokens = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= lower.length(); i++) {
      boolean inToken = i < lower.length() && isTokenChar(lower.charAt(i));
      if (inToken && start < 0) {
        start = i;
      } else if (!inToken && start >= 0) {
        tokens.add(lower.substring(start, i));
        start = -1;
      }
    }
    return tokens;
  }

  private static boolean isTokenChar(char c) {
    return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '\'';
  }
}
