package dev.kiln.examples;

import static dev.kiln.annotations.Activation.RELU;

import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.DenseParams;

/** WORKLOADS.md W4's discriminator: a flattened image to the logit of its being real. */
@Model(input = "784", output = "1")
public record GanDiscriminator(
    @Dense(features = 256, activation = RELU) DenseParams hidden,
    @Dense(features = 1) DenseParams logit) {}
