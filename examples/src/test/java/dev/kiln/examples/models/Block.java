package dev.kiln.examples.models;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.DenseParams;

/** A sub-model: one dense layer with a GELU, generic in its leading axis. */
@Model(input = "S,4", output = "S,5")
public record Block(@Dense(features = 5, activation = Activation.GELU) DenseParams dense) {}
