// Sampling from a trained model: plain batches, latent interpolations, and (for models with a separate content
// latent, like MoCoGAN) one content under several motions. Every function returns a tensor the caller owns.
import * as tf from "@tensorflow/tfjs-core";
import { emaFor } from "./train/ema";
import type { Latent, Video, VideoGan } from "./types";

export interface SampleOptions {
  /** Frames to generate; defaults to the trained length. Models that allow it (MoCoGAN) can go longer. */
  frames?: number;
  /** Use the generator's EMA weights when the trainer or a checkpoint attached them; default true if present. */
  useEma?: boolean;
}

/** Generates from a given latent in inference mode (batch-norm running statistics), optionally with EMA weights. */
export function generateFrom(model: VideoGan, latent: Latent, opts: SampleOptions = {}): Video {
  const ema = opts.useEma === false ? undefined : emaFor(model);
  if (opts.useEma === true && !ema) throw new Error("useEma: this model has no EMA weights attached");
  const run = () => tf.tidy(() => model.generate(latent, { training: false, frames: opts.frames }));
  return ema ? ema.withAveraged(run) : run();
}

/** What MoCoGAN (lib/gan/models/mocogan.ts) adds to VideoGan for long and fixed-content sampling. */
interface MotionSampler {
  /** A latent with exactly `frames` motion steps; a longer one from the same seed extends a shorter one. */
  sampleLatentFrames(n: number, seed: number, frames: number): Latent;
  /** n latents sharing video 0's content code, each with its own motion. */
  sampleFixedContent(n: number, seed: number, frames?: number): Latent;
}

function motionSampler(model: VideoGan): (VideoGan & MotionSampler) | undefined {
  const m = model as VideoGan & Partial<MotionSampler>;
  return typeof m.sampleLatentFrames === "function" && typeof m.sampleFixedContent === "function" ? (m as VideoGan & MotionSampler) : undefined;
}

/** A latent for n videos of `frames` frames: models with per-frame motion noise get enough of it. */
function latentFor(model: VideoGan, n: number, seed: number, frames?: number): Latent {
  const motion = motionSampler(model);
  return motion && frames !== undefined ? motion.sampleLatentFrames(n, seed, frames) : model.sampleLatent(n, seed);
}

/** n videos [n, T, H, W, C] from the latent drawn with `seed` (same seed → same videos). */
export function sample(model: VideoGan, n: number, opts: SampleOptions & { seed: number }): Video {
  return withLatent(latentFor(model, n, opts.seed, opts.frames), (latent) => generateFrom(model, latent, opts));
}

/**
 * MoCoGAN's "same subject, new motion": n videos with the content code of `seed`'s first video and independent
 * motion, optionally longer than the trained length (opts.frames). Throws for models without a content code.
 */
export function fixedContent(model: VideoGan, n: number, opts: SampleOptions & { seed: number }): Video {
  const motion = motionSampler(model);
  if (!motion) throw new Error(`${model.kind} has no separate content and motion latents`);
  return withLatent(motion.sampleFixedContent(n, opts.seed, opts.frames ?? model.shape.frames), (latent) => generateFrom(model, latent, opts));
}

/**
 * Spherical interpolation between two latent batches, per example: for Gaussian latents the straight line passes
 * through low-norm points the generator never saw (a "dimmed" midpoint); the great circle keeps the norm typical
 * (White 2016). a, b: [..] of equal shape; t in [0, 1].
 */
export function slerp(a: tf.Tensor, b: tf.Tensor, t: number): tf.Tensor {
  return tf.tidy(() => {
    const n = a.shape[0];
    const a2 = tf.reshape(a, [n, -1]);
    const b2 = tf.reshape(b, [n, -1]);
    const norms = tf.mul(tf.norm(a2, 2, 1, true), tf.norm(b2, 2, 1, true));
    const cos = tf.div(tf.sum(tf.mul(a2, b2), 1, true), tf.add(norms, 1e-12));
    const omega = tf.acos(tf.clipByValue(cos, -1 + 1e-7, 1 - 1e-7)); // [n, 1]
    const sinOmega = tf.sin(omega);
    // Nearly parallel vectors: slerp degenerates to lerp (and sin(omega) → 0 would divide by zero).
    const useLerp = tf.less(sinOmega, 1e-4);
    const safeSin = tf.where(useLerp, tf.onesLike(sinOmega), sinOmega);
    const wa = tf.where(useLerp, tf.fill(omega.shape, 1 - t), tf.div(tf.sin(tf.mul(omega, 1 - t)), safeSin));
    const wb = tf.where(useLerp, tf.fill(omega.shape, t), tf.div(tf.sin(tf.mul(omega, t)), safeSin));
    return tf.reshape(tf.add(tf.mul(a2, wa), tf.mul(b2, wb)), a.shape);
  });
}

/**
 * `steps` videos walking from the latent of seedA to that of seedB ([steps, T, H, W, C]). Float latents are
 * slerped; integer ones (class labels) switch from A to B halfway.
 */
export function interpolate(model: VideoGan, seedA: number, seedB: number, steps: number, opts: SampleOptions = {}): Video {
  if (!(Number.isInteger(steps) && steps >= 2)) throw new Error(`interpolate needs at least 2 steps, got ${steps}`);
  const a = latentFor(model, 1, seedA, opts.frames);
  const b = latentFor(model, 1, seedB, opts.frames);
  const path = tf.tidy(() => {
    const out: Latent = {};
    for (const key of Object.keys(a)) {
      const ts = Array.from({ length: steps }, (_, i) => i / (steps - 1));
      const isFloat = a[key].dtype === "float32";
      out[key] = tf.concat(ts.map((t) => (isFloat ? slerp(a[key], b[key], t) : t < 0.5 ? a[key] : b[key])));
    }
    return out;
  });
  tf.dispose([...Object.values(a), ...Object.values(b)]);
  return withLatent(path, (latent) => generateFrom(model, latent, opts));
}

/**
 * Videos sharing the parts of the latent named in `fixed` (drawn with `seed`) while the rest varies, one video per
 * entry of `variedSeeds`. For MoCoGAN, fixed = the content latent: one subject under different motions.
 */
export function varyLatent(model: VideoGan, fixed: string[], seed: number, variedSeeds: number[], opts: SampleOptions = {}): Video {
  const base = latentFor(model, 1, seed, opts.frames);
  const missing = fixed.filter((k) => !(k in base));
  if (missing.length) {
    tf.dispose(Object.values(base));
    throw new Error(`${model.kind} latent has no ${missing.join(", ")} (it has ${Object.keys(base).join(", ")})`);
  }
  const others = variedSeeds.map((s) => latentFor(model, 1, s, opts.frames));
  const latent = tf.tidy(() => {
    const out: Latent = {};
    for (const key of Object.keys(base)) {
      out[key] = fixed.includes(key) ? tf.concat(variedSeeds.map(() => base[key])) : tf.concat(others.map((o) => o[key]));
    }
    return out;
  });
  tf.dispose([...Object.values(base), ...others.flatMap((o) => Object.values(o))]);
  return withLatent(latent, (l) => generateFrom(model, l, opts));
}

function withLatent(latent: Latent, fn: (latent: Latent) => Video): Video {
  try {
    return fn(latent);
  } finally {
    tf.dispose(Object.values(latent));
  }
}
