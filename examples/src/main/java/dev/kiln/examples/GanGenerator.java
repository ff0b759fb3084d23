package dev.kiln.examples;

import static dev.kiln.annotations.Activation.RELU;
import static dev.kiln.annotations.Activation.TANH;

import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.DenseParams;

/** WORKLOADS.md W4's generator: a 100-dimensional code to a 28x28 image in [-1, 1], flattened. */
@Model(input = "100", output = "784")
public record GanGenerator(
    @Dense(features = 256, activation = RELU) DenseParams hidden,
    @Dense(features = 784, activation = TANH) DenseParams image) {}
