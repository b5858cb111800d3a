import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { BouncingShapes, shapeMask } from "@/lib/gan/data/bouncing-shapes";
import { minMax, sameArray, sum, useCpu } from "./fixtures";

beforeAll(useCpu);

describe("bouncing shapes", () => {
  it("gives [B, 20, 64, 64, 3] in [-1, 1] with coloured shapes on black", () => {
    const data = new BouncingShapes({}, 1);
    expect(data.shape).toEqual({ frames: 20, height: 64, width: 64, channels: 3 });
    const batch = data.nextBatch(4);
    expect(batch.shape).toEqual([4, 20, 64, 64, 3]);
    const v = batch.dataSync();
    const [lo, hi] = minMax(v);
    expect(lo).toBe(-1);
    expect(hi).toBeLessThanOrEqual(1);
    let coloured = 0;
    for (let p = 0; p < v.length; p += 3) if (v[p] !== v[p + 1] || v[p] !== v[p + 2]) coloured++;
    expect(coloured).toBeGreaterThan(0);
    batch.dispose();
  });

  it("replays per seed, differs across seeds", () => {
    const a = new BouncingShapes({}, 3).nextBatchArray(2);
    expect(sameArray(new BouncingShapes({}, 3).nextBatchArray(2), a)).toBe(true);
    expect(sameArray(new BouncingShapes({}, 4).nextBatchArray(2), a)).toBe(false);
    const c = new BouncingShapes({}, 3);
    c.nextBatchArray(2);
    c.reset(3);
    expect(sameArray(c.nextBatchArray(2), a)).toBe(true);
  });

  it("keeps each shape wholly inside the canvas", () => {
    // One shape: its pixels are identical at every integer position, so ink per frame is constant unless clipped.
    const data = new BouncingShapes({ numShapes: 1, frames: 60, speed: 0.3, minSide: 0.4, maxSide: 0.5 }, 2);
    const video = data.nextBatchArray(6);
    const frame = 64 * 64 * 3;
    for (let b = 0; b < 6; b++) {
      const inks = Array.from({ length: 60 }, (_, t) => {
        const at = (b * 60 + t) * frame;
        return sum(video.subarray(at, at + frame).map((x) => x + 1));
      });
      inks.forEach((ink) => expect(ink).toBeCloseTo(inks[0], 1));
      expect(inks[0]).toBeGreaterThan(0);
    }
  });

  it("rasterises circles, squares and triangles with the right areas", () => {
    const area = (kind: "circle" | "square" | "triangle") => sum(shapeMask(kind, 40));
    expect(area("square")).toBe(1600);
    expect(area("circle") / 1600).toBeCloseTo(Math.PI / 4, 2);
    expect(area("triangle") / 1600).toBeCloseTo(0.5, 2);
  });

  it("leaves no tensors behind when drawing many batches", () => {
    const data = new BouncingShapes({ size: 32 }, 0);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 30; i++) data.nextBatch(4).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
