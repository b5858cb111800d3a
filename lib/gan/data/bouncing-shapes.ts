// Bouncing shapes in colour: circles, squares and triangles of random colour and size moving like Moving MNIST's
// digits. A 3-channel companion to Moving MNIST that needs no asset; later shapes are drawn over earlier ones.
import * as tf from "@tensorflow/tfjs-core";
import { createRng, type Rng } from "./rng";
import { bounceTrajectory, toPixel } from "./trajectory";
import type { VideoDataset, VideoShape } from "./types";

export type ShapeKind = "circle" | "square" | "triangle";

export interface BouncingShapesConfig {
  numShapes: number; // 2: as many objects as Moving MNIST's digits
  size: number; // 64: square canvas side, as Moving MNIST
  frames: number; // 20: as Moving MNIST
  minSide: number; // 0.2: smallest shape side as a fraction of the canvas (13 px at 64)
  maxSide: number; // 0.4: largest (26 px at 64, close to a 28 px digit)
  speed: number; // 0.1: step per frame as a fraction of the free range, as Moving MNIST
  kinds: ShapeKind[]; // which shapes to draw, picked uniformly
}

export const defaultBouncingShapesConfig: BouncingShapesConfig = {
  numShapes: 2,
  size: 64,
  frames: 20,
  minSide: 0.2,
  maxSide: 0.4,
  speed: 0.1,
  kinds: ["circle", "square", "triangle"],
};

// 4×4 samples per pixel: hard-edged shapes alias into a per-frame shimmer that a GAN would have to learn.
const SUPERSAMPLE = 4;

function inside(kind: ShapeKind, u: number, v: number, side: number): boolean {
  const h = side / 2;
  switch (kind) {
    case "circle":
      return (u - h) * (u - h) + (v - h) * (v - h) <= h * h;
    case "square":
      return true;
    case "triangle": // apex at top centre, base along the bottom edge
      return Math.abs(u - h) <= v / 2;
  }
}

/** Coverage in [0, 1] of each pixel of a side×side box. */
export function shapeMask(kind: ShapeKind, side: number): Float32Array {
  const mask = new Float32Array(side * side);
  const step = 1 / SUPERSAMPLE;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let hits = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          if (inside(kind, x + (sx + 0.5) * step, y + (sy + 0.5) * step, side)) hits++;
        }
      }
      mask[y * side + x] = hits / (SUPERSAMPLE * SUPERSAMPLE);
    }
  }
  return mask;
}

/** A random vivid colour (HSV with high saturation and value) so every shape stands out from the black ground. */
function randomColour(rng: Rng): [number, number, number] {
  const h = rng.next() * 6;
  const s = rng.uniform(0.6, 1);
  const v = rng.uniform(0.7, 1);
  const f = h - Math.floor(h);
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  const rgb: [number, number, number][] = [[v, t, p], [q, v, p], [p, v, t], [p, q, v], [t, p, v], [v, p, q]];
  return rgb[Math.floor(h) % 6];
}

export class BouncingShapes implements VideoDataset {
  readonly config: BouncingShapesConfig;
  readonly shape: VideoShape;
  private rng: Rng;
  private readonly path: Float32Array;
  private readonly masks = new Map<string, Float32Array>(); // by kind and side: few distinct, reused every batch

  constructor(config: Partial<BouncingShapesConfig> = {}, seed = 0) {
    this.config = { ...defaultBouncingShapesConfig, ...config };
    const { size, frames, numShapes, minSide, maxSide, kinds } = this.config;
    if (!(numShapes >= 1 && frames >= 1 && kinds.length > 0)) throw new Error("need at least one shape, frame and kind");
    if (!(minSide > 0 && minSide <= maxSide && maxSide <= 1)) throw new Error("need 0 < minSide <= maxSide <= 1");
    this.shape = { frames, height: size, width: size, channels: 3 };
    this.rng = createRng(seed);
    this.path = new Float32Array(2 * frames);
  }

  reset(seed: number): void {
    this.rng = createRng(seed);
  }

  private mask(kind: ShapeKind, side: number): Float32Array {
    const key = `${kind}:${side}`;
    let mask = this.masks.get(key);
    if (!mask) this.masks.set(key, (mask = shapeMask(kind, side)));
    return mask;
  }

  /** n sequences as a flat Float32Array [n, T, H, W, 3] in [-1, 1]; advances the stream like nextBatch. */
  nextBatchArray(n: number): Float32Array {
    const { size, frames, numShapes, minSide, maxSide, speed, kinds } = this.config;
    const frameLen = size * size * 3;
    // Drawn straight in [-1, 1] (black ground = −1): "over" compositing is affine, so mapping the colours to
    // [-1, 1] gives the same pixels as compositing in [0, 1] and mapping after, without a pass over the batch.
    const out = new Float32Array(n * frames * frameLen).fill(-1);
    for (let b = 0; b < n; b++) {
      for (let s = 0; s < numShapes; s++) {
        const kind = kinds[this.rng.int(kinds.length)];
        const side = Math.max(1, Math.round(this.rng.uniform(minSide, maxSide) * size));
        const [r, g, bl] = randomColour(this.rng).map((c) => c * 2 - 1);
        const mask = this.mask(kind, side);
        bounceTrajectory(this.rng, frames, speed, this.path);
        for (let t = 0; t < frames; t++) {
          const left = toPixel(this.path[2 * t], size - side);
          const top = toPixel(this.path[2 * t + 1], size - side);
          for (let y = 0; y < side; y++) {
            let o = (b * frames + t) * frameLen + ((top + y) * size + left) * 3;
            for (let x = 0; x < side; x++, o += 3) {
              const a = mask[y * side + x];
              if (a === 0) continue;
              out[o] += (r - out[o]) * a; // "over" compositing: the later shape covers the earlier
              out[o + 1] += (g - out[o + 1]) * a;
              out[o + 2] += (bl - out[o + 2]) * a;
            }
          }
        }
      }
    }
    return out;
  }

  nextBatch(n: number): tf.Tensor5D {
    const { frames, height, width } = this.shape;
    return tf.tensor5d(this.nextBatchArray(n), [n, frames, height, width, 3]);
  }
}
