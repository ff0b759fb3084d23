package dev.kiln.examples;

import static dev.kiln.annotations.Activation.RELU;

import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.DenseParams;

/** A two-layer perceptron for Fashion-MNIST: the default model of {@code kiln train}. */
@Model(input = "28,28,1", output = "10")
public record FashionMlp(
    @Flatten @Dense(features = 256, activation = RELU) DenseParams hidden,
    @Dense(features = 10) DenseParams logits) {}
