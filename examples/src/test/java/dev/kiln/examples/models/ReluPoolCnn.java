package dev.kiln.examples.models;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.Conv;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.MaxPool;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.ConvParams;
import dev.kiln.runtime.nn.DenseParams;

/** A ReLU convolution followed by a max pool (the processor pools first) and a ReLU dense layer that is not. */
@Model(input = "6,6,2", output = "2")
public record ReluPoolCnn(
    @Conv(features = 3, kernel = {3, 3}, activation = Activation.RELU)
    @MaxPool(window = {2, 2}, strides = {2, 2}) ConvParams conv,
    @Flatten @Dense(features = 4, activation = Activation.RELU) DenseParams hidden,
    @Dense(features = 2) DenseParams logits) {}
