package dev.kiln.runtime.text;

import dev.kiln.runtime.io.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Token ids for a model's {@code Embed} layer: id 0 is {@link #PAD} (padding, masked out), id 1 is
 * {@link #UNK} (any token the vocabulary lacks), then the training tokens by descending count, ties
 * broken by first appearance in the training sentences (Python's {@code Counter.most_common}, as
 * W2 prescribes). The vocabulary is saved next to a trained model, because ids mean nothing with
 * another vocabulary: prediction must load the one training built.
 *
 * <p>File format (UTF-8 JSON, one token a line so that it diffs well):
 * <pre>{@code
 * {"format": "kiln-vocabulary", "version": 1, "tokens": [
 * "<pad>",
 * "<unk>",
 * "the",
 * ...
 * ]}
 * }</pre>
 * {@code tokens[i]} is the token with id {@code i}. Loading checks the format name and version, that
 * the first two entries are {@code <pad>} and {@code <unk>}, and that tokens are non-empty strings
 * without duplicates; anything else is an {@link IOException} naming the file and the fault.
 */
public final class Vocabulary {
  /** The padding id: positions past a sentence's end. */
  public static final int PAD = 0;
  /** The id of every token the vocabulary lacks. */
  public static final int UNK = 1;
  /** How {@link #PAD} is spelled in {@link #token} and files; no tokenizer produces it. */
  public static final String PAD_TOKEN = "<pad>";
  /** How {@link #UNK} is spelled in {@link #token} and files; no tokenizer produces it. */
  public static final String UNK_TOKEN = "<unk>";

  private static final String FORMAT = "kiln-vocabulary";
  private static final long VERSION = 1;

  private final List<String> tokens;
  private final Map<String, Integer> ids;

  private Vocabulary(List<String> tokens) {
    this.tokens = Collections.unmodifiableList(tokens);
    this.ids = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      ids.put(tokens.get(i), i);
    }
  }

  /**
   * The {@code maxTokens} most frequent tokens of {@code sentences} (ties by first appearance),
   * after {@code <pad>} and {@code <unk>}: {@link #size()} is at most {@code maxTokens + 2}.
   */
  public static Vocabulary build(Collection<? extends List<String>> sentences, int maxTokens) {
    if (maxTokens < 0) {
      throw new IllegalArgumentException("maxTokens must be >= 0, found " + maxTokens);
    }
    Map<String, int[]> counts = new LinkedHashMap<>();
    for (List<String> sentence : sentences) {
      for (String token : sentence) {
        if (token.isEmpty() || token.equals(PAD_TOKEN) || token.equals(UNK_TOKEN)) {
          throw new IllegalArgumentException("a sentence holds the empty or reserved token \"" + token + "\"");
        }
        counts.computeIfAbsent(token, t -> new int[1])[0]++;
      }
    }
    List<Map.Entry<String, int[]>> byCount = new ArrayList<>(counts.entrySet());
    byCount.sort((a, b) -> Integer.compare(b.getValue()[0], a.getValue()[0])); // stable: ties keep first appearance
    List<String> tokens = new ArrayList<>(List.of(PAD_TOKEN, UNK_TOKEN));
    byCount.stream().limit(maxTokens).forEach(e -> tokens.add(e.getKey()));
    return new Vocabulary(tokens);
  }

  /** The id of {@code token}, or {@link #UNK} if the vocabulary lacks it. */
  public int id(String token) {
    return ids.getOrDefault(token, UNK);
  }

  /** The number of ids, {@link #PAD} and {@link #UNK} included: an {@code Embed} layer's row count. */
  public int size() {
    return tokens.size();
  }

  /** The token with id {@code id}; {@code <pad>} and {@code <unk>} for the reserved ids. */
  public String token(int id) {
    if (id < 0 || id >= tokens.size()) {
      throw new IndexOutOfBoundsException("token id " + id + " is past the vocabulary: expected 0.." + (size() - 1));
    }
    return tokens.get(id);
  }

  /** Writes the vocabulary to {@code file} (format above), atomically: a reader never sees half a file. */
  public void save(Path file) throws IOException {
    StringBuilder out = new StringBuilder("{\"format\": ").append(Json.quote(FORMAT))
        .append(", \"version\": ").append(VERSION).append(", \"tokens\": [\n");
    for (int i = 0; i < tokens.size(); i++) {
      out.append(Json.quote(tokens.get(i))).append(i + 1 < tokens.size() ? ",\n" : "\n");
    }
    out.append("]}\n");
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path part = absolute.resolveSibling(absolute.getFileName() + ".part");
    Files.writeString(part, out, StandardCharsets.UTF_8);
    Files.move(part, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Reads a vocabulary that {@link #save} wrote; a file of any other shape fails saying what is wrong. */
  public static Vocabulary load(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Object json;
    try {
      json = Json.parse(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString());
    } catch (CharacterCodingException e) {
      throw corrupt(file, "not UTF-8 text");
    } catch (IOException e) {
      throw corrupt(file, e.getMessage());
    }
    if (!(json instanceof Map<?, ?> map) || !FORMAT.equals(map.get("format"))) {
      throw corrupt(file, "expected a JSON object with \"format\": \"" + FORMAT + "\"");
    }
    if (!Long.valueOf(VERSION).equals(map.get("version"))) {
      throw corrupt(file, "version " + map.get("version") + " is not supported: expected " + VERSION);
    }
    if (!(map.get("tokens") instanceof List<?> list)) {
      throw corrupt(file, "expected \"tokens\": a list of strings");
    }
    List<String> tokens = new ArrayList<>(list.size());
    Map<String, Integer> seen = new HashMap<>();
    for (Object o : list) {
      if (!(o instanceof String token) || token.isEmpty()) {
        throw corrupt(file, "token " + tokens.size() + " is " + (o == null ? "null" : Json.quote(o.toString()))
            + ": expected a non-empty string");
      }
      Integer earlier = seen.put(token, tokens.size());
      if (earlier != null) {
        throw corrupt(file, "token " + Json.quote(token) + " has ids " + earlier + " and " + tokens.size());
      }
      tokens.add(token);
    }
    if (tokens.size() < 2 || !tokens.get(PAD).equals(PAD_TOKEN) || !tokens.get(UNK).equals(UNK_TOKEN)) {
      throw corrupt(file, "the first tokens must be " + PAD_TOKEN + " and " + UNK_TOKEN);
    }
    return new Vocabulary(tokens);
  }

  private static IOException corrupt(Path file, String why) {
    return new IOException(file + " is not a valid Kiln vocabulary file: " + why);
  }

  @Override
  public String toString() {
    return "Vocabulary(" + size() + " ids: " + PAD_TOKEN + ", " + UNK_TOKEN + " and " + (size() - 2) + " tokens)";
  }
}
