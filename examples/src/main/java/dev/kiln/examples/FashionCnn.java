package dev.kiln.examples;

import static dev.kiln.annotations.Activation.RELU;

import dev.kiln.annotations.Conv;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.ConvParams;
import dev.kiln.runtime.nn.DenseParams;

/**
 * WORKLOADS.md W1, the chapter's CNN with the ReLUs it lacks: two 3x3 SAME convolutions and a
 * dense layer over the flattened 28x28x64 map. Component names are Flax's, so weights move both ways.
 */
@Model(input = "28,28,1", output = "10")
public record FashionCnn(
    @Conv(features = 32, kernel = {3, 3}, activation = RELU) ConvParams conv1,
    @Conv(features = 64, kernel = {3, 3}, activation = RELU) ConvParams conv2,
    @Flatten @Dense(features = 10) DenseParams dense) {}
