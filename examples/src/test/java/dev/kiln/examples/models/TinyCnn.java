package dev.kiln.examples.models;

import dev.kiln.annotations.Activation;
import dev.kiln.annotations.AvgPool;
import dev.kiln.annotations.Conv;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Dropout;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.MaxPool;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.ConvParams;
import dev.kiln.runtime.nn.DenseParams;
import dev.kiln.runtime.nn.NoParams;

/**
 * Every convolutional layer kind at a size finite differences can afford: strided, dilated and
 * asymmetrically padded convolutions, both pools, and dropout.
 */
@Model(input = "7,7,2", output = "3")
public record TinyCnn(
    @Conv(features = 3, kernel = {3, 3}, strides = {2, 2}, activation = Activation.TANH) ConvParams strided,
    @Conv(features = 4, kernel = {2, 2}, padding = "((1, 0), (0, 1))", useBias = false) ConvParams padded,
    @Conv(features = 3, kernel = {2, 2}, dilation = {2, 2}, padding = "SAME") ConvParams dilated,
    @MaxPool(window = {2, 2}, padding = "SAME") @AvgPool(window = {2, 2}, strides = {2, 2}) NoParams pools,
    @Dropout(rate = 0.25) NoParams drop,
    @Flatten @Dense(features = 3) DenseParams logits) {}
