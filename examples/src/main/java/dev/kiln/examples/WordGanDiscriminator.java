package dev.kiln.examples;

import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Lstm;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.DenseParams;
import dev.kiln.runtime.nn.LstmParams;

/**
 * The word GAN's discriminator: a word as 10 one-hot characters, padded with the end character, to
 * the logit of its being real. An LSTM reads the whole word, end included, so that it can judge the
 * word as a whole: the generator's words are made of plausible letter groups, and what gives a
 * non-word away is how they fit together.
 */
@Model(input = "10,27", output = "1")
public record WordGanDiscriminator(
    @Lstm(features = 128) LstmParams lstm,
    @Dense(features = 1) DenseParams logit) {}
