package dev.kiln.examples;

import dev.kiln.annotations.From;
import dev.kiln.annotations.GaussianSample;
import dev.kiln.annotations.Model;
import dev.kiln.annotations.Output;
import dev.kiln.annotations.Slice;
import dev.kiln.runtime.nn.NoParams;

/**
 * WORKLOADS.md W3 as Flax's reference VAE writes it: the encoder's output split into mean and
 * log-std, a reparameterised sample, the decoder's Bernoulli logits; three named outputs.
 */
@Model(input = "28,28,1", output = "50;50;784")
public record W3Vae(
    W3Encoder encoder,
    @Output @Slice(size = 50) NoParams mean,
    @Output @From("encoder") @Slice(from = 50, size = 50) NoParams logStd,
    @From("encoder") @GaussianSample NoParams z,
    @Output W3Decoder decoder) {}
