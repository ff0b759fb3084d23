package dev.kiln.runtime.train;

/** The outcome of {@link Train#of}: the trained parameters and what was measured on the way. */
public record TrainingResult<P extends Record>(P params, History history) {}
