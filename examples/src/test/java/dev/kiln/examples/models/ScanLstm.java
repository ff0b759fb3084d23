package dev.kiln.examples.models;

import dev.kiln.annotations.Embed;
import dev.kiln.annotations.Lstm;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.EmbedParams;
import dev.kiln.runtime.nn.LstmParams;

/**
 * Flax's {@code nn.RNN(nn.LSTMCell(5))} with sequence lengths, fed through an embedding whose rows
 * are the fixture's inputs (id 0 pads, so the embedding tells the LSTM each row's length).
 */
@Model(input = "7", output = "5")
public record ScanLstm(
    @Embed(vocab = "11", features = 4) EmbedParams embed,
    @Lstm(features = 5) LstmParams rnn) {}
