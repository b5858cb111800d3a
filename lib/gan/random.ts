// Seeded randomness for models. TF.js random ops take a numeric seed but keep no global generator we
// can rely on, so every draw gets its own seed derived from (run seed, label). Labels make the streams
// independent of the order in which variables or noise tensors happen to be created.
import * as tf from "@tensorflow/tfjs-core";

/** 32-bit finaliser (splitmix/murmur style): nearby inputs give unrelated outputs. */
function mix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over the label's UTF-16 code units: a stable integer for a variable or stream name. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A new seed for the stream `label` under `seed`; deterministic, order-independent. */
export function subSeed(seed: number, label: string | number): number {
  if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`);
  const hi = Math.floor(seed / 0x1_0000_0000) >>> 0;
  const base = mix32((seed >>> 0) ^ mix32(hi + 0x9e3779b9));
  const l = typeof label === "number" ? mix32(label + 0x7f4a7c15) : hashLabel(label);
  return mix32(base ^ mix32(l + 0x632be5ab));
}

/** N(mean, std²) samples, reproducible from `seed`. */
export function normal(shape: number[], seed: number, mean = 0, std = 1): tf.Tensor {
  return tf.randomNormal(shape, mean, std, "float32", seed);
}

/** U[lo, hi) samples, reproducible from `seed`. */
export function uniform(shape: number[], seed: number, lo = 0, hi = 1): tf.Tensor {
  return tf.randomUniform(shape, lo, hi, "float32", seed);
}

/** mulberry32 stream for small host-side choices (frame indices and the like). */
export function hostRandom(seed: number): () => number {
  let state = subSeed(seed, "host");
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n integers uniform in [0, max), reproducible from `seed`. */
export function randomInts(n: number, max: number, seed: number): number[] {
  const next = hostRandom(seed);
  return Array.from({ length: n }, () => Math.floor(next() * max));
}
