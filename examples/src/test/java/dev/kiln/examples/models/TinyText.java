package dev.kiln.examples.models;

import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Embed;
import dev.kiln.annotations.Gru;
import dev.kiln.annotations.Lstm;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.DenseParams;
import dev.kiln.runtime.nn.EmbedParams;
import dev.kiln.runtime.nn.BidirectionalGruParams;
import dev.kiln.runtime.nn.LstmParams;

/** An embedding, an LSTM over every step, a bidirectional GRU to its last states, a dense head: gradient-checked. */
@Model(input = "5", output = "2")
public record TinyText(
    @Embed(vocab = "V", features = 3) EmbedParams embed,
    @Lstm(features = 4, returnSequence = true) LstmParams lstm,
    @Gru(features = 3, bidirectional = true) BidirectionalGruParams gru,
    @Dense(features = 2) DenseParams logits) {}
