package dev.kiln.examples;

import static dev.kiln.annotations.Activation.RELU;

import dev.kiln.annotations.ConvTranspose;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Model;
import dev.kiln.annotations.Reshape;
import dev.kiln.runtime.nn.ConvTransposeParams;
import dev.kiln.runtime.nn.DenseParams;

/**
 * WORKLOADS.md W3c's decoder, the chapter's coding challenge corrected: two transposed convolutions
 * with strides 2 take 7x7 to 28x28; flattened to Bernoulli logits for 784 pixels.
 */
@Model(input = "20", output = "784")
public record ConvVaeDecoder(
    @Dense(features = 3136, activation = RELU) @Reshape({7, 7, 64}) DenseParams project,
    @ConvTranspose(features = 32, kernel = {3, 3}, strides = {2, 2}, activation = RELU) ConvTransposeParams up1,
    @ConvTranspose(features = 1, kernel = {3, 3}, strides = {2, 2}) @Flatten ConvTransposeParams up2) {}
