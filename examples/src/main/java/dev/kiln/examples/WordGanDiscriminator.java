package dev.kiln.examples;

import static dev.kiln.annotations.Activation.LEAKY_RELU;

import dev.kiln.annotations.Conv;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Model;
import dev.kiln.annotations.Reshape;
import dev.kiln.runtime.nn.ConvParams;
import dev.kiln.runtime.nn.DenseParams;

/**
 * The word GAN's discriminator: a word as 10 one-hot (or relaxed) characters to the logit of its
 * being real. Two convolutions along the word (windows of 3 characters, the image convolution run
 * on a 10x1 strip) see letter trigrams and then 5-grams.
 */
@Model(input = "10,27", output = "1")
public record WordGanDiscriminator(
    @Reshape({10, 1, 27}) @Conv(features = 64, kernel = {3, 1}, activation = LEAKY_RELU) ConvParams conv1,
    @Conv(features = 64, kernel = {3, 1}, activation = LEAKY_RELU) ConvParams conv2,
    @Flatten @Dense(features = 1) DenseParams logit) {}
