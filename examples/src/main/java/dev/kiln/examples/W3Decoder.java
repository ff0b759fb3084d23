package dev.kiln.examples;

import static dev.kiln.annotations.Activation.RELU;

import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.DenseParams;

/** WORKLOADS.md W3's decoder: Bernoulli logits for 784 pixels from a 50-dimensional code. */
@Model(input = "50", output = "784")
public record W3Decoder(
    @Dense(features = 256, activation = RELU) DenseParams layers_0,
    @Dense(features = 784) DenseParams layers_2) {}
