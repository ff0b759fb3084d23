package dev.kiln.examples;

import static dev.kiln.annotations.Activation.RELU;

import dev.kiln.annotations.Conv;
import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.ConvParams;
import dev.kiln.runtime.nn.DenseParams;

/** WORKLOADS.md W3c's encoder: two strided convolutions to the mean and log-std of a 20-dimensional code. */
@Model(input = "28,28,1", output = "40")
public record ConvVaeEncoder(
    @Conv(features = 32, kernel = {3, 3}, strides = {2, 2}, activation = RELU) ConvParams conv1,
    @Conv(features = 64, kernel = {3, 3}, strides = {2, 2}, activation = RELU) ConvParams conv2,
    @Flatten @Dense(features = 40) DenseParams stats) {}
