package dev.kiln.examples.models;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.BatchNorm;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.BatchNormVars;
import dev.kiln.runtime.nn.DenseParams;

/** Batch normalisation between dense layers, inside a sub-model-free MLP: gradient-checked. */
@Model(input = "5", output = "3")
public record NormedMlp(
    @Dense(features = 4) DenseParams hidden,
    @BatchNorm(momentum = 0.9) BatchNormVars norm,
    @Dense(features = 3, activation = Activation.TANH) DenseParams out) {}
