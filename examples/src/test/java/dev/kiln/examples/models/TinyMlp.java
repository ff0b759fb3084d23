package dev.kiln.examples.models;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Model;
import dev.kiln.annotations.Reshape;
import dev.kiln.runtime.nn.DenseParams;
import dev.kiln.runtime.nn.NoParams;

/** The default model's structure at a size finite differences can afford, plus a reshape. */
@Model(input = "4,3,2", output = "3")
public record TinyMlp(
    @Flatten @Dense(features = 6, activation = Activation.RELU) DenseParams hidden,
    @Reshape({2, 3}) NoParams grid,
    @Dense(features = 4, activation = Activation.ELU) DenseParams mix,
    @Flatten @Dense(features = 3, activation = Activation.LOG_SOFTMAX) DenseParams logits) {}
