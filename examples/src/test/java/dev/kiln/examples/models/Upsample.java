package dev.kiln.examples.models;

import dev.kiln.annotations.ConvTranspose;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.ConvTransposeParams;

/** Flax's {@code nn.ConvTranspose(4, (3, 3), strides=(2, 2))}, SAME, as the parity fixture has it. */
@Model(input = "4,4,3", output = "8,8,4")
public record Upsample(@ConvTranspose(features = 4, kernel = {3, 3}, strides = {2, 2}) ConvTransposeParams up) {}
