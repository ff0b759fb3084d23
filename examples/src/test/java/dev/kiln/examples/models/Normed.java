package dev.kiln.examples.models;

import dev.kiln.annotations.BatchNorm;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.BatchNormVars;

/** Flax's {@code nn.BatchNorm()} on its own, as the parity fixture has it. */
@Model(input = "3,3,2")
public record Normed(@BatchNorm BatchNormVars norm) {}
