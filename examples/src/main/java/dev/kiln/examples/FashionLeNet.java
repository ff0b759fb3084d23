package dev.kiln.examples;

import static dev.kiln.annotations.Activation.RELU;

import dev.kiln.annotations.Conv;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.MaxPool;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.ConvParams;
import dev.kiln.runtime.nn.DenseParams;

/** WORKLOADS.md W1b: a LeNet-style classifier, convolutions each followed by 2x2 max pooling. */
@Model(input = "28,28,1", output = "10")
public record FashionLeNet(
    @Conv(features = 32, kernel = {3, 3}, activation = RELU)
    @MaxPool(window = {2, 2}, strides = {2, 2}) ConvParams conv1,
    @Conv(features = 64, kernel = {3, 3}, activation = RELU)
    @MaxPool(window = {2, 2}, strides = {2, 2}) ConvParams conv2,
    @Flatten @Dense(features = 128, activation = RELU) DenseParams hidden,
    @Dense(features = 10) DenseParams logits) {}
