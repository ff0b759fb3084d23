package dev.kiln.examples;

import static dev.kiln.annotations.Activation.LEAKY_RELU;

import dev.kiln.annotations.Conv;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.ConvParams;
import dev.kiln.runtime.nn.DenseParams;

/**
 * A DCGAN-style discriminator: two strided convolutions with leaky ReLUs (no pooling) down to
 * 7x7x128, then the logit of the image being real.
 */
@Model(input = "28,28,1", output = "1")
public record DcganDiscriminator(
    @Conv(features = 64, kernel = {4, 4}, strides = {2, 2}, activation = LEAKY_RELU) ConvParams down1,
    @Conv(features = 128, kernel = {4, 4}, strides = {2, 2}, activation = LEAKY_RELU) ConvParams down2,
    @Flatten @Dense(features = 1) DenseParams logit) {}
