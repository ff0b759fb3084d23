package dev.kiln.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A VAE's reparameterised sample: the input {@code (B, 2L)} is {@code [mean, logStd]}, the output
 * {@code z = mean + exp(logStd) * eps}, {@code (B, L)}. The noise {@code eps} comes from the tape's
 * {@code noiseKey} (Flax's {@code make_rng('noise')} for a module named after the component); with
 * no key the tape's {@code <component>Eps} buffer is used as it is (zeros: {@code z = mean}). No
 * parameters.
 */
@Documented
@Layer
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface GaussianSample {}
