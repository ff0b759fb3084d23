package dev.kiln.examples.models;

import dev.kiln.annotations.Embed;
import dev.kiln.annotations.Lstm;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.BidirectionalLstmParams;
import dev.kiln.runtime.nn.EmbedParams;

/**
 * Flax's {@code nn.Bidirectional(nn.RNN(LSTMCell(4)), nn.RNN(LSTMCell(4)))} with sequence lengths,
 * fed through an embedding whose rows are the fixture's inputs.
 */
@Model(input = "5", output = "5,8")
public record BiScan(
    @Embed(vocab = "9", features = 3) EmbedParams embed,
    @Lstm(features = 4, returnSequence = true, bidirectional = true) BidirectionalLstmParams rnn) {}
