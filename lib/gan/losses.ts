// Adversarial losses and gradient penalties as pure tensor functions. Discriminator outputs may have
// any shape ([B], [B, K] patch logits, …): every loss averages over all of them.
import "./ops";
import * as tf from "@tensorflow/tfjs-core";
import { uniform } from "./random";

/** "bce": Goodfellow et al. 2014 with the non-saturating G loss; "hinge": Lim & Ye 2017 / Miyato et al.
 *  2018; "wgan": Arjovsky et al. 2017 critic (needs a Lipschitz constraint: SVC, clipping, GP, SN). */
export type AdversarialLoss = "bce" | "hinge" | "wgan";

/**
 * mean(BCE(σ(x), t)) computed from logits as relu(x) − x·t + log1p(exp(−|x|)): never exponentiates a
 * positive number, so ±100 logits stay finite. Only relu/abs/exp/log1p: differentiable twice.
 */
export function bceWithLogits(logits: tf.Tensor, target: number): tf.Scalar {
  const x = logits;
  const perElement = tf.add(tf.sub(tf.relu(x), tf.mul(x, target)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
  return tf.mean(perElement);
}

export function discriminatorLoss(kind: AdversarialLoss, real: tf.Tensor, fake: tf.Tensor): tf.Scalar {
  switch (kind) {
    case "bce":
      return tf.add(bceWithLogits(real, 1), bceWithLogits(fake, 0));
    case "hinge":
      return tf.add(tf.mean(tf.relu(tf.sub(1, real))), tf.mean(tf.relu(tf.add(1, fake)))) as tf.Scalar;
    case "wgan":
      return tf.sub(tf.mean(fake), tf.mean(real)) as tf.Scalar;
  }
}

export function generatorLoss(kind: AdversarialLoss, fake: tf.Tensor): tf.Scalar {
  switch (kind) {
    case "bce":
      return bceWithLogits(fake, 1); // non-saturating: −log σ(D(G(z))) rather than log(1 − σ(D(G(z))))
    case "hinge":
    case "wgan":
      return tf.neg(tf.mean(fake)) as tf.Scalar;
  }
}

/** Per-sample squared L2 norm of the gradient of Σ D(x) w.r.t. x: [B]. Records on the caller's tape. */
function inputGradientSquaredNorm(d: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor): tf.Tensor1D {
  // tf.grad run inside optimizer.minimize records its backward pass on the outer tape, so the outer
  // gradient differentiates this gradient (needs every op in D to have a differentiable gradient).
  const g = tf.grad((input: tf.Tensor) => tf.sum(d(input)))(x);
  return tf.sum(tf.reshape(tf.square(g), [x.shape[0], -1]), 1) as tf.Tensor1D;
}

/**
 * WGAN-GP (Gulrajani et al. 2017): E[(‖∇D(x̂)‖₂ − 1)²] at x̂ = ε·real + (1 − ε)·fake, ε ~ U[0, 1] per
 * sample. Unweighted: multiply by λ (10 in the paper).
 */
export function gradientPenalty(d: (x: tf.Tensor) => tf.Tensor, real: tf.Tensor, fake: tf.Tensor, seed: number): tf.Scalar {
  const eps = uniform([real.shape[0], ...real.shape.slice(1).map(() => 1)], seed); // [B, 1, …, 1]
  const mixed = tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake));
  const norm = tf.sqrt(tf.add(inputGradientSquaredNorm(d, mixed), 1e-12)); // floor keeps sqrt' finite at 0
  return tf.mean(tf.square(tf.sub(norm, 1)));
}

/** R1 (Mescheder et al. 2018): E‖∇D(real)‖². Unweighted: multiply by γ/2. */
export function r1Penalty(d: (x: tf.Tensor) => tf.Tensor, real: tf.Tensor): tf.Scalar {
  return tf.mean(inputGradientSquaredNorm(d, real));
}
