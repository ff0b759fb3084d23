package dev.kiln.examples.models;

import dev.kiln.annotations.Activate;
import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.From;
import dev.kiln.annotations.Model;
import dev.kiln.annotations.Output;
import dev.kiln.runtime.nn.DenseParams;
import dev.kiln.runtime.nn.NoParams;

/**
 * A model that exercises every wiring feature: a symbolic axis, a sub-model, a value read by two
 * components (its cotangents add up) and two named outputs.
 */
@Model(input = "T,3", output = "T,2;T,4")
public record Branchy(
    @Dense(features = 4, activation = Activation.TANH) DenseParams hidden,
    Block block,
    @Output @Dense(features = 2, useBias = false) DenseParams logits,
    @Output @From("hidden") @Activate(Activation.SILU) NoParams gate) {}
