package dev.kiln.examples;

import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Embed;
import dev.kiln.annotations.Lstm;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.DenseParams;
import dev.kiln.runtime.nn.EmbedParams;
import dev.kiln.runtime.nn.LstmParams;

/**
 * WORKLOADS.md W2: token ids to 64-dimensional embeddings, an LSTM over the real tokens (the padding
 * masked), and a dense layer on its last state. The vocabulary size {@code V} comes from the data.
 */
@Model(input = "32", output = "2")
public record SentimentLstm(
    @Embed(vocab = "V", features = 64) EmbedParams embed,
    @Lstm(features = 64) LstmParams lstm,
    @Dense(features = 2) DenseParams logits) {}
