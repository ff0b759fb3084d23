package dev.kiln.examples;

import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Embed;
import dev.kiln.annotations.Lstm;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.DenseParams;
import dev.kiln.runtime.nn.EmbedParams;
import dev.kiln.runtime.nn.LstmParams;

/**
 * A character-level language model of English words: the start id and a word's letters (11 ids,
 * {@code dev.kiln.runtime.text.Letters}; 0 pads) to logits over the next character (end or a
 * letter) at every step. The embedding's padding id 0 gives the LSTM each word's length.
 */
@Model(input = "11", output = "11,27")
public record WordLstm(
    @Embed(vocab = "28", features = 32) EmbedParams embed,
    @Lstm(features = 128, returnSequence = true) LstmParams lstm,
    @Dense(features = 27) DenseParams logits) {}
