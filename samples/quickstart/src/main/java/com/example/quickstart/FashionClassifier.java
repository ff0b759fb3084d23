package com.example.quickstart;

import static dev.kiln.annotations.Activation.RELU;

import dev.kiln.annotations.Conv;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.MaxPool;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.ConvParams;
import dev.kiln.runtime.nn.DenseParams;
import dev.kiln.runtime.nn.NoParams;

/**
 * A small CNN for 28x28 grey images in 10 classes: each component is a layer, its type holds the
 * layer's parameters, and the compiler checks that the shapes fit together.
 */
@Model(input = "28,28,1", output = "10")
public record FashionClassifier(
    @Conv(features = 8, kernel = {3, 3}, activation = RELU) ConvParams conv,
    @MaxPool(window = {2, 2}, strides = {2, 2}) NoParams pool,
    @Flatten @Dense(features = 10) DenseParams logits) {}
