// Pieces every model shares: shape arithmetic, channel scaling, the discriminator objective with its
// optional penalties, and the bookkeeping behind stateVars()/dispose().
import "../ops";
import * as tf from "@tensorflow/tfjs-core";
import type { AdamSettings, LossTerms } from "../types";
import { ParamStore } from "../layers/params";
import { AdversarialLoss, discriminatorLoss, gradientPenalty, r1Penalty } from "../losses";
import { subSeed } from "../random";

/** Fields every model config has. */
/** DCGAN's Adam (Radford et al. 2015: lr 2e-4, β1 = 0.5, β2 = 0.999), which MoCoGAN and VGAN both published. */
export const dcganAdam: Readonly<AdamSettings> = Object.freeze({ learningRate: 2e-4, beta1: 0.5, beta2: 0.999 });

export interface VideoShapeConfig {
  frames: number;
  /** Frame height = width in pixels: 4·2^k (32 and 64 are the published sizes). */
  size: number;
  channels: number;
  /** Channel-width multiplier: 1 = the paper's channel counts; 1/16 makes a CPU-sized toy. */
  width: number;
}

/** How the discriminator is trained; shared by all models. */
export interface DiscriminatorObjective {
  loss: AdversarialLoss;
  /** WGAN-GP weight λ on interpolates (Gulrajani et al. use 10); 0 = off. */
  gpWeight: number;
  /** R1 weight γ on reals (the penalty is γ/2·E‖∇D‖²); 0 = off. */
  r1Gamma: number;
}

/** Number of ×2 upsamplings from 4×4 to `size` (DCGAN's 4×4 bottom), validating the size. */
export function spatialLevels(size: number): number {
  const levels = Math.log2(size / 4);
  if (!Number.isInteger(levels) || levels < 1) throw new Error(`size must be 4·2^k with k ≥ 1 (8, 16, 32, 64…), got ${size}`);
  return levels;
}

/** Largest k ≤ maxLevels with frames divisible by 2^k: how many times time can be doubled up to `frames`. */
export function temporalLevels(frames: number, maxLevels: number): number {
  if (!Number.isInteger(frames) || frames < 1) throw new Error(`frames must be a positive integer, got ${frames}`);
  let k = 0;
  while (k < maxLevels && frames % 2 ** (k + 1) === 0) k++;
  return k;
}

/** Channel count scaled by the width multiplier, at least 1. */
export function scaled(base: number, width: number): number {
  if (!(width > 0)) throw new Error(`width must be positive, got ${width}`);
  return Math.max(1, Math.round(base * width));
}

export function checkShapeConfig(c: VideoShapeConfig): void {
  spatialLevels(c.size);
  temporalLevels(c.frames, 0);
  if (!Number.isInteger(c.channels) || c.channels < 1) throw new Error(`channels must be a positive integer, got ${c.channels}`);
  scaled(1, c.width);
}

export function checkVideo(v: tf.Tensor, c: VideoShapeConfig, what: string): void {
  const [, t, h, w, ch] = v.shape;
  if (v.rank !== 5 || t !== c.frames || h !== c.size || w !== c.size || ch !== c.channels) {
    throw new Error(`${what}: expected [B, ${c.frames}, ${c.size}, ${c.size}, ${c.channels}], got [${v.shape.join(", ")}]`);
  }
}

/** tf.mean typed as the scalar it is. */
export function meanOf(x: tf.Tensor): tf.Scalar {
  return tf.mean(x) as tf.Scalar;
}

/** tf.tidy for LossTerms (an interface TF.js's TensorContainer type does not accept, though it is one). */
export function tidyTerms(fn: () => LossTerms): LossTerms {
  return tf.tidy(() => fn() as unknown as tf.TensorContainer) as unknown as LossTerms;
}

/**
 * The discriminator's objective on one real and one fake batch: the adversarial loss plus any gradient
 * penalty. `d` must be the discriminator in training mode. Scores are mean logits (critic values).
 */
export function discriminatorTerms(
  d: (x: tf.Tensor) => tf.Tensor,
  real: tf.Tensor,
  fake: tf.Tensor,
  o: DiscriminatorObjective,
  seed: number,
): LossTerms {
  const realOut = d(real);
  const fakeOut = d(fake);
  let loss = discriminatorLoss(o.loss, realOut, fakeOut);
  const extras: Record<string, tf.Scalar> = {};
  if (o.gpWeight > 0) {
    extras.gradientPenalty = gradientPenalty(d, real, fake, subSeed(seed, "gp"));
    loss = tf.add(loss, tf.mul(extras.gradientPenalty, o.gpWeight)) as tf.Scalar;
  }
  if (o.r1Gamma > 0) {
    extras.r1 = r1Penalty(d, real);
    loss = tf.add(loss, tf.mul(extras.r1, o.r1Gamma / 2)) as tf.Scalar;
  }
  return { loss, realScore: meanOf(realOut), fakeScore: meanOf(fakeOut), extras };
}

/** Sums several discriminators' terms (extras keep each part's loss under its name); scores come from one part. */
export function combineTerms(parts: Record<string, LossTerms>, scoresFrom: string): LossTerms {
  let loss: tf.Scalar | undefined;
  const extras: Record<string, tf.Scalar> = {};
  for (const [name, t] of Object.entries(parts)) {
    loss = loss ? (tf.add(loss, t.loss) as tf.Scalar) : t.loss;
    extras[`${name}Loss`] = t.loss;
    for (const [k, v] of Object.entries(t.extras ?? {})) extras[`${name}.${k}`] = v;
  }
  if (!loss) throw new Error("combineTerms needs at least one part");
  const main = parts[scoresFrom];
  return { loss, realScore: main.realScore, fakeScore: main.fakeScore, extras };
}

/** Generator and discriminator variable stores, merged for stateVars() and disposed together. */
export class ModelParams {
  readonly g: ParamStore;
  readonly d: ParamStore;

  constructor(seed: number) {
    this.g = ParamStore.root(subSeed(seed, "generator"), "g");
    this.d = ParamStore.root(subSeed(seed, "discriminator"), "d");
  }

  stateVars(): Map<string, tf.Variable> {
    return new Map([...this.g.entries(), ...this.d.entries()]);
  }

  dispose(): void {
    this.g.dispose();
    this.d.dispose();
  }
}
