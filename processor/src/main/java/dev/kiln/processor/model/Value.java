package dev.kiln.processor.model;

/**
 * A tensor the forward pass computes: the model input, a layer's output or a layer's scratch
 * buffer. Views (reshapes) share their source's memory.
 *
 * @param name a Java identifier, unique in the model
 */
public record Value(String name, Shape shape, boolean isView) {}
