package dev.kiln.spark;

import dev.kiln.annotations.Dense;
import dev.kiln.annotations.Embed;
import dev.kiln.annotations.Flatten;
import dev.kiln.annotations.Model;
import dev.kiln.runtime.nn.DenseParams;
import dev.kiln.runtime.nn.EmbedParams;

/** A text classifier for the scoring tests: five token ids embedded, flattened, one sigmoid logit. */
@Model(input = "5", output = "1")
public record TinyText(
    @Embed(vocab = "V", features = 3) EmbedParams embed,
    @Flatten @Dense(features = 1) DenseParams logit) {}
