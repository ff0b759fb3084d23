package dev.kiln.runtime.nn;

/** The parameters of a component that has none (an activation, a pooling, a reshape). */
public enum NoParams {
  INSTANCE
}
