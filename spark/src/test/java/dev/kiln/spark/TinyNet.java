package dev.kiln.spark;

import static dev.kiln.annotations.Activation.RELU;

import dev.kiln.annotations.Conv;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.ConvParams;
import dev.kiln.runtime.nn.DenseParams;

/** W1 in miniature for the Spark tests: a convolution and a dense layer over 6x6 images, 3 classes. */
@Model(input = "6,6,1", output = "3")
public record TinyNet(
    @Conv(features = 4, kernel = {3, 3}, activation = RELU) ConvParams conv,
    @Flatten @Dense(features = 3) DenseParams logits) {}
