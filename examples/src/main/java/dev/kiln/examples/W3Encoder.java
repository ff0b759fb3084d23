package dev.kiln.examples;

import static dev.kiln.annotations.Activation.RELU;

import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.DenseParams;

/**
 * WORKLOADS.md W3's encoder, named as Flax's {@code nn.Sequential} names its layers so its
 * parameters line up with the Flax reference: the mean and log-std are the output's two halves.
 */
@Model(input = "28,28,1", output = "100")
public record W3Encoder(
    @Flatten @Dense(features = 256, activation = RELU) DenseParams layers_0,
    @Dense(features = 100) DenseParams layers_2) {}
