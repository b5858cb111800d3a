// Moving MNIST (Srivastava et al. 2015) drawn on the fly from real digits: each sequence picks digits at random,
// gives each a bouncing trajectory, and combines overlapping digits with max, as the original generator does.
import * as tf from "@tensorflow/tfjs-core";
import { buildDigitPool, type DigitPool, type DigitSplit } from "./digit-pool";
import type { DigitSet } from "./mnist-asset";
import { createRng, type Rng } from "./rng";
import { bounceTrajectory, toPixel } from "./trajectory";
import type { VideoDataset, VideoShape } from "./types";

export interface MovingMnistConfig {
  numDigits: number; // 2: the paper's setting; 1 or 3 make easier/harder variants
  size: number; // 64: the paper's canvas; 32 suits the small models that train in a browser
  frames: number; // 20: the paper's 10 observed + 10 predicted frames
  /** Digit side in pixels; "auto" keeps the paper's 28/64 digit-to-canvas ratio (14 px on a 32 canvas). */
  digitSize: number | "auto";
  speed: number; // 0.1: the original step per frame, as a fraction of the free range (≈3.6 px/frame at 64)
  split: DigitSplit; // "all"; use "train" for training and "test" for FVD real sets so they never share a digit
  testFraction: number; // 0.2: share of the 10,000 digits held out as "test"
}

export const defaultMovingMnistConfig: MovingMnistConfig = {
  numDigits: 2,
  size: 64,
  frames: 20,
  digitSize: "auto",
  speed: 0.1,
  split: "all",
  testFraction: 0.2,
};

/** Byte → [-1, 1], looked up while drawing. */
const TO_UNIT = Float32Array.from({ length: 256 }, (_, v) => (v / 255) * 2 - 1);

export function resolveDigitSize(config: Pick<MovingMnistConfig, "digitSize" | "size">): number {
  const side = config.digitSize === "auto" ? Math.round((28 * config.size) / 64) : config.digitSize;
  if (!(side >= 1 && side <= config.size)) throw new Error(`digit size ${side} does not fit a ${config.size} canvas`);
  return side;
}

/** What is in each clip of a labelled batch: which digits, and how each moves. Slot order = drawing order. */
export interface MovingMnistLabels {
  numDigits: number;
  frames: number;
  /** [n, numDigits] the class (0–9) of each digit slot. */
  digits: Uint8Array;
  /**
   * [n, numDigits, frames, 2] velocity (vx, vy) after each frame, in units of the free range per frame (|v| = speed);
   * y grows downwards. Index ((b·numDigits + d)·frames + t)·2.
   */
  velocities: Float32Array;
}

export class MovingMnist implements VideoDataset {
  readonly config: MovingMnistConfig;
  readonly shape: VideoShape;
  private readonly pool: DigitPool;
  private readonly classes: Uint8Array; // [asset count] label of each digit of the asset
  private rng: Rng;
  private readonly path: Float32Array;

  constructor(digits: DigitSet, config: Partial<MovingMnistConfig> = {}, seed = 0) {
    this.config = { ...defaultMovingMnistConfig, ...config };
    const { size, frames, numDigits, split, testFraction } = this.config;
    if (!(numDigits >= 1 && frames >= 1)) throw new Error("numDigits and frames must be at least 1");
    this.pool = buildDigitPool(digits, split, testFraction, resolveDigitSize(this.config));
    this.classes = digits.labels;
    this.shape = { frames, height: size, width: size, channels: 1 };
    this.rng = createRng(seed);
    this.path = new Float32Array(2 * frames);
  }

  reset(seed: number): void {
    this.rng = createRng(seed);
  }

  /** Number of digits this dataset's split draws from. */
  get digitCount(): number {
    return this.pool.count;
  }

  /** n sequences as a flat Float32Array [n, T, H, W, 1] in [-1, 1]; advances the stream like nextBatch. */
  nextBatchArray(n: number): Float32Array {
    return this.draw(n);
  }

  /**
   * Like nextBatchArray (the same videos for the same stream position: labelling draws nothing extra), plus which
   * digits each clip shows and their velocities frame by frame.
   */
  nextLabelledBatchArray(n: number): { videos: Float32Array; labels: MovingMnistLabels } {
    const { frames, numDigits } = this.config;
    const labels: MovingMnistLabels = {
      numDigits,
      frames,
      digits: new Uint8Array(n * numDigits),
      velocities: new Float32Array(n * numDigits * frames * 2),
    };
    return { videos: this.draw(n, labels), labels };
  }

  private draw(n: number, labels?: MovingMnistLabels): Float32Array {
    const { size, frames, numDigits, speed } = this.config;
    const side = this.pool.side;
    const free = size - side;
    const frameLen = size * size;
    // Drawn straight in [-1, 1]: max commutes with the monotonic map v → 2v − 1, so no final pass is needed.
    const out = new Float32Array(n * frames * frameLen).fill(-1);
    for (let b = 0; b < n; b++) {
      for (let d = 0; d < numDigits; d++) {
        const pick = this.rng.int(this.pool.count);
        const digit = this.pool.pixels.subarray(pick * side * side);
        const slot = b * numDigits + d;
        if (labels) labels.digits[slot] = this.classes[this.pool.indices[pick]];
        const velocity = labels?.velocities.subarray(slot * frames * 2, (slot + 1) * frames * 2);
        bounceTrajectory(this.rng, frames, speed, this.path, velocity);
        for (let t = 0; t < frames; t++) {
          const left = toPixel(this.path[2 * t], free);
          const top = toPixel(this.path[2 * t + 1], free);
          const base = (b * frames + t) * frameLen + top * size + left;
          for (let y = 0; y < side; y++) {
            const row = base + y * size;
            for (let x = 0; x < side; x++) {
              const v = TO_UNIT[digit[y * side + x]];
              if (v > out[row + x]) out[row + x] = v; // overlap = max, as the original
            }
          }
        }
      }
    }
    return out;
  }

  nextBatch(n: number): tf.Tensor5D {
    const { frames, height, width } = this.shape;
    return tf.tensor5d(this.nextBatchArray(n), [n, frames, height, width, 1]);
  }
}
