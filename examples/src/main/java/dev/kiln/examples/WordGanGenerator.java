package dev.kiln.examples;

import static dev.kiln.annotations.Activation.RELU;

import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Model;
import dev.kiln.annotations.Reshape;
import dev.kiln.runtime.nn.DenseParams;

/**
 * The word GAN's generator: a 64-dimensional code to logits over 27 characters (end or a letter) at
 * each of a word's 10 positions; {@link WordGan} turns them into letters.
 */
@Model(input = "64", output = "10,27")
public record WordGanGenerator(
    @Dense(features = 256, activation = RELU) DenseParams hidden,
    @Dense(features = 270) @Reshape({10, 27}) DenseParams logits) {}
