package dev.kiln.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {
  @Test
  void lowerCasesAndKeepsApostrophes() {
    assertEquals(List.of("don't", "buy", "it", "it's", "bad"), Tokenizer.tokens("Don't BUY it -- It's BAD!"));
    assertEquals(List.of("'quoted'", "rock'n'roll"), Tokenizer.tokens("'Quoted' rock'n'roll"));
    assertEquals(List.of("'"), Tokenizer.tokens(" ' "));
  }

  @Test
  void digitsArePartOfTokens() {
    assertEquals(List.of("10", "10", "would", "buy", "2", "more", "5star"),
        Tokenizer.tokens("10/10 would buy 2 more, 5star."));
  }

  @Test
  void punctuationAndOtherCharactersSeparate() {
    assertEquals(List.of("slow", "moving", "a", "b", "c", "d"), Tokenizer.tokens("slow-moving a.b,c;d"));
    assertEquals(List.of("caf", "ok", "it", "s", "great"), Tokenizer.tokens("Café\u0085OK\tit\u2019s great"));
    assertEquals(List.of("tabs", "and", "newlines"), Tokenizer.tokens("\ttabs\nand\r\nnewlines  "));
  }

  @Test
  void noTokens() {
    assertEquals(List.of(), Tokenizer.tokens(""));
    assertEquals(List.of(), Tokenizer.tokens("!!! ... :-)"));
  }
}
