import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { fixedContent, interpolate, sample, slerp, varyLatent } from "@/lib/gan/sample";
import { createTrainState } from "@/lib/gan/train";
import { numTensors, tinyModel, useCpu } from "./train-helpers";

beforeAll(useCpu);

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
/** Video i of a batch, [1, T, H, W, C]. */
const pick = (v: tf.Tensor, i: number) => tf.slice(v, [i, 0, 0, 0, 0], [1, -1, -1, -1, -1]);

describe("sample", () => {
  it("makes [n, T, H, W, C] in [-1, 1], the same for the same seed, with no tensors left over", () => {
    const model = tinyModel("vgan");
    const before = numTensors();
    const [a, b, c] = [sample(model, 3, { seed: 1 }), sample(model, 3, { seed: 1 }), sample(model, 3, { seed: 2 })];
    expect(a.shape).toEqual([3, 8, 16, 16, 1]);
    expect(maxDiff(a, b)).toBe(0);
    expect(maxDiff(a, c)).toBeGreaterThan(0);
    expect(tf.tidy(() => tf.max(tf.abs(a)).dataSync()[0])).toBeLessThanOrEqual(1);
    tf.dispose([a, b, c]);
    expect(numTensors()).toBe(before);
    model.dispose();
  });

  it("uses the EMA weights when a trainer attached them, unless told not to", () => {
    const model = tinyModel("vgan");
    const state = createTrainState(model, { ema: 0.99 });
    for (const s of state.ema!.shadow.values()) s.assign(tf.mul(s, 0.5)); // make the average differ
    const [ema, raw] = [sample(model, 2, { seed: 1 }), sample(model, 2, { seed: 1, useEma: false })];
    expect(maxDiff(ema, raw)).toBeGreaterThan(0);
    const raw2 = sample(model, 2, { seed: 1, useEma: false }); // the raw weights came back
    expect(maxDiff(raw, raw2)).toBe(0);
    tf.dispose([ema, raw, raw2]);
    state.dispose();
    expect(() => sample(model, 1, { seed: 1, useEma: true })).toThrow(/no EMA/);
    model.dispose();
  });
});

describe("interpolate", () => {
  it("starts at seed A's video and ends at seed B's", () => {
    for (const kind of ["tgan", "mocogan"] as const) {
      const model = tinyModel(kind);
      const path = interpolate(model, 3, 4, 5);
      expect(path.shape[0]).toBe(5);
      const [a, b] = [sample(model, 1, { seed: 3 }), sample(model, 1, { seed: 4 })];
      const [first, last] = [pick(path, 0), pick(path, 4)];
      expect(maxDiff(first, a)).toBeLessThan(1e-4);
      expect(maxDiff(last, b)).toBeLessThan(1e-4);
      tf.dispose([path, a, b, first, last]);
      model.dispose();
    }
  });

  it("slerp keeps a Gaussian latent's norm where lerp shrinks it", () => {
    const [a, b] = [tf.randomNormal([4, 256], 0, 1, "float32", 1), tf.randomNormal([4, 256], 0, 1, "float32", 2)];
    const mid = slerp(a, b, 0.5);
    const norms = (x: tf.Tensor) => Array.from(tf.tidy(() => tf.norm(x, 2, 1)).dataSync());
    const lerpNorms = norms(tf.tidy(() => tf.mul(tf.add(a, b), 0.5)));
    norms(mid).forEach((n, i) => {
      expect(n).toBeGreaterThan(14); // √256 = 16, roughly
      expect(n).toBeGreaterThan(lerpNorms[i] * 1.3); // two near-orthogonal unit vectors: lerp is ~0.71 long
    });
    const start = slerp(a, b, 0);
    expect(maxDiff(start, a)).toBeLessThan(1e-4);
    tf.dispose([a, b, mid, start]);
  });
});

describe("MoCoGAN content and motion", () => {
  it("renders one content code under different motions", () => {
    const model = tinyModel("mocogan");
    const videos = fixedContent(model, 3, { seed: 5 });
    expect(videos.shape).toEqual([3, 8, 16, 16, 1]);
    const [v0, v1] = [pick(videos, 0), pick(videos, 1)];
    expect(maxDiff(v0, v1)).toBeGreaterThan(0); // motion differs
    const alone = sample(model, 1, { seed: 5 }); // video 0 is seed 5's own video
    expect(maxDiff(v0, alone)).toBeLessThan(1e-4);
    tf.dispose([videos, v0, v1, alone]);
    const tgan = tinyModel("tgan");
    expect(() => fixedContent(tgan, 2, { seed: 1 })).toThrow(/no separate content/);
    tgan.dispose();
    model.dispose();
  });

  it("keeps the content fixed through varyLatent and generates past the trained length", () => {
    const model = tinyModel("mocogan");
    const long = sample(model, 2, { seed: 6, frames: 24 });
    expect(long.shape).toEqual([2, 24, 16, 16, 1]);
    // Motion is recurrent: the first 8 frames of a long video are the trained-length video.
    const short = sample(model, 2, { seed: 6 });
    const head = tf.slice(long, [0, 0, 0, 0, 0], [-1, 8, -1, -1, -1]);
    expect(maxDiff(head, short)).toBeLessThan(1e-4);
    const varied = varyLatent(model, ["content"], 6, [1, 2], { frames: 80 }); // past sampleLatent's 64 noise steps
    expect(varied.shape).toEqual([2, 80, 16, 16, 1]);
    tf.dispose([long, short, head, varied]);
    model.dispose();
  });
});
