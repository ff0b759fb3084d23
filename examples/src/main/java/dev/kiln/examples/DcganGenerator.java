package dev.kiln.examples;

import static dev.kiln.annotations.Activation.RELU;
import static dev.kiln.annotations.Activation.TANH;

import dev.kiln.annotations.Activate;
import dev.kiln.annotations.BatchNorm;
import dev.kiln.annotations.ConvTranspose;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Model;
import dev.kiln.annotations.Reshape;
import dev.kiln.runtime.nn.BatchNormVars;
import dev.kiln.runtime.nn.ConvTransposeParams;
import dev.kiln.runtime.nn.DenseParams;
import dev.kiln.runtime.nn.NoParams;

/**
 * A DCGAN-style generator: a 100-dimensional code projected to 7x7x128, then two transposed
 * convolutions with strides 2 up to a 28x28 image in [-1, 1]; batch normalisation before each
 * hidden ReLU, none on the image, as Radford et al. recommend.
 */
@Model(input = "100", output = "28,28,1")
public record DcganGenerator(
    @Dense(features = 6272, useBias = false) @Reshape({7, 7, 128}) DenseParams project,
    @BatchNorm BatchNormVars projectNorm,
    @Activate(RELU) NoParams projectRelu,
    @ConvTranspose(features = 64, kernel = {4, 4}, strides = {2, 2}, useBias = false) ConvTransposeParams up,
    @BatchNorm BatchNormVars upNorm,
    @Activate(RELU) NoParams upRelu,
    @ConvTranspose(features = 1, kernel = {4, 4}, strides = {2, 2}, activation = TANH) ConvTransposeParams image) {}
