package dev.kiln.examples;

import dev.kiln.runtime.loss.Loss;
import dev.kiln.runtime.model.ModelDefinition;
import dev.kiln.runtime.optim.Optax;
import dev.kiln.runtime.optim.Optimizer;
import dev.kiln.runtime.optim.OptimizerState;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One adversarial training step for a fixed batch size, with everything it needs allocated once:
 * a discriminator update on a real and a generated batch (non-saturating losses), then a generator
 * update whose gradient is the discriminator's input cotangent run back through the generator. Both
 * use Adam(2e-4, b1 0.5); parameters are updated in place.
 *
 * @param <G> the generator's parameters
 * @param <D> the discriminator's parameters
 */
public final class GanStep<G extends Record, TG, D extends Record, TD> {
  private static final Loss BCE = dev.kiln.runtime.loss.Losses.sigmoidBinaryCrossEntropy();

  private final GanNetwork<G, TG> gen;
  private final GanNetwork<D, TD> dis;
  private final G gp;
  private final D dp;
  private final G gGrads;
  private final D dGrads;
  private final D dGradsFake;
  private final List<INDArray> gLeaves;
  private final List<INDArray> dLeaves;
  private final List<INDArray> gGradLeaves;
  private final List<INDArray> dGradLeaves;
  private final List<INDArray> dGradFakeLeaves;
  private final Optimizer gAdam = Optax.adam(2e-4, 0.5, 0.999, 1e-8);
  private final Optimizer dAdam = Optax.adam(2e-4, 0.5, 0.999, 1e-8);
  private final OptimizerState gState;
  private final OptimizerState dState;
  private final INDArray ones;
  private final INDArray zeros;
  private final INDArray dReal;
  private final INDArray dFakeLogit;
  private final TG gt;
  private final TD realTape;
  private final TD fakeTape;

  /** A step for these parameters (trained in place) and batches of {@code codes}' and {@code images}' shapes. */
  public GanStep(Gan.Kind<G, TG, D, TD> kind, G generator, D discriminator, INDArray codes, INDArray images) {
    gen = kind.generator();
    dis = kind.discriminator();
    ModelDefinition<G> g = gen.model();
    ModelDefinition<D> d = dis.model();
    gp = generator;
    dp = discriminator;
    gGrads = g.zerosLike(gp);
    dGrads = d.zerosLike(dp);
    dGradsFake = d.zerosLike(dp);
    gLeaves = g.leaves(gp);
    dLeaves = d.leaves(dp);
    gGradLeaves = g.leaves(gGrads);
    dGradLeaves = d.leaves(dGrads);
    dGradFakeLeaves = d.leaves(dGradsFake);
    gState = gAdam.init(gLeaves);
    dState = dAdam.init(dLeaves);
    long batch = images.size(0);
    ones = Nd4j.ones(images.dataType(), batch, 1);
    zeros = Nd4j.zeros(images.dataType(), batch, 1);
    dReal = Nd4j.create(images.dataType(), batch, 1);
    dFakeLogit = Nd4j.create(images.dataType(), batch, 1);
    gt = gen.trainingTape(codes);
    realTape = dis.trainingTape(images);
    fakeTape = dis.trainingTape(images);
  }

  /** Trains on one batch of real images and one of codes; returns the discriminator's and the generator's loss. */
  public Losses step(INDArray real, INDArray codes) {
    INDArray fake = gen.forward().run(gp, codes, gt);

    // discriminator: bce(D(real), 1) + bce(D(fake), 0)
    double dLoss = BCE.valueAndGradient(dis.forward().run(dp, real, realTape), ones, dReal);
    dis.backward().run(dp, realTape, dReal, dGrads, false);
    dLoss += BCE.valueAndGradient(dis.forward().run(dp, fake, fakeTape), zeros, dFakeLogit);
    dis.backward().run(dp, fakeTape, dFakeLogit, dGradsFake, false);
    for (int i = 0; i < dGradLeaves.size(); i++) {
      dGradLeaves.get(i).addi(dGradFakeLeaves.get(i));
    }
    dAdam.update(dLeaves, dGradLeaves, dState);

    // generator: bce(D(G(z)), 1) through the updated discriminator, its input cotangent into G
    double gLoss = BCE.valueAndGradient(dis.forward().run(dp, fake, fakeTape), ones, dFakeLogit);
    INDArray dFake = dis.backward().run(dp, fakeTape, dFakeLogit, dGradsFake, true);
    gen.backward().run(gp, gt, dFake, gGrads, false);
    gAdam.update(gLeaves, gGradLeaves, gState);
    return new Losses(dLoss, gLoss);
  }

  /** A step's two losses. */
  public record Losses(double discriminator, double generator) {}
}
