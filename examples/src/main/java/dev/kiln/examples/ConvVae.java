package dev.kiln.examples;

import dev.kiln.annotations.From;
import dev.kiln.annotations.GaussianSample;
import dev.kiln.annotations.Model;
import dev.kiln.annotations.Output;
import dev.kiln.annotations.Slice;
import dev.kiln.runtime.nn.NoParams;

/** WORKLOADS.md W3c: the convolutional VAE, shaped as {@link W3Vae} with a 20-dimensional code. */
@Model(input = "28,28,1", output = "20;20;784")
public record ConvVae(
    ConvVaeEncoder encoder,
    @Output @Slice(size = 20) NoParams mean,
    @Output @From("encoder") @Slice(from = 20, size = 20) NoParams logStd,
    @From("encoder") @GaussianSample NoParams z,
    @Output ConvVaeDecoder decoder) {}
