import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { splitIndices, isTestDigit } from "@/lib/gan/data/digit-pool";
import { MovingMnist } from "@/lib/gan/data/moving-mnist";
import { createRng } from "@/lib/gan/data/rng";
import { bounceTrajectory } from "@/lib/gan/data/trajectory";
import { blockDigits, minMax, sameArray, sum, useCpu } from "./fixtures";

beforeAll(useCpu);

describe("Moving MNIST", () => {
  it("gives [B, 20, 64, 64, 1] in [-1, 1] by default, mostly background", () => {
    const data = new MovingMnist(blockDigits(), {}, 1);
    expect(data.shape).toEqual({ frames: 20, height: 64, width: 64, channels: 1 });
    const batch = data.nextBatch(3);
    expect(batch.shape).toEqual([3, 20, 64, 64, 1]);
    expect(batch.dtype).toBe("float32");
    const values = batch.dataSync();
    const [lo, hi] = minMax(values);
    expect(lo).toBe(-1);
    expect(hi).toBeLessThanOrEqual(1);
    expect(values.filter((v) => v === -1).length / values.length).toBeGreaterThan(0.5);
    batch.dispose();
  });

  it("replays the same batches for the same seed, and after reset", () => {
    const a = new MovingMnist(blockDigits(), {}, 7);
    const b = new MovingMnist(blockDigits(), {}, 7);
    const first = a.nextBatchArray(4);
    expect(sameArray(b.nextBatchArray(4), first)).toBe(true);
    expect(sameArray(a.nextBatchArray(4), b.nextBatchArray(4))).toBe(true);
    a.reset(7);
    expect(sameArray(a.nextBatchArray(4), first)).toBe(true);
  });

  it("differs across seeds and from batch to batch", () => {
    const a = new MovingMnist(blockDigits(), {}, 1);
    const b = new MovingMnist(blockDigits(), {}, 2);
    const first = a.nextBatchArray(2);
    expect(sameArray(first, b.nextBatchArray(2))).toBe(false);
    expect(sameArray(first, a.nextBatchArray(2))).toBe(false);
  });

  it("keeps every digit wholly inside the canvas in every frame", () => {
    // One solid block digit: any clipping at an edge would lose ink, so each frame's ink equals the digit's.
    const data = new MovingMnist(blockDigits(1), { numDigits: 1, frames: 60, speed: 0.3 }, 3);
    const video = data.nextBatchArray(8);
    const frame = 64 * 64;
    for (let f = 0; f < 8 * 60; f++) {
      const ink = sum(video.subarray(f * frame, (f + 1) * frame).map((v) => (v + 1) / 2));
      expect(ink).toBeCloseTo(28 * 28 * (1 / 255), 3);
    }
  });

  it("bounces: positions stay in [0, 1] and each velocity component reverses at the walls", () => {
    const path = bounceTrajectory(createRng(5), 400, 0.25);
    let flipsX = 0;
    for (let t = 0; t < 400; t++) {
      expect(path[2 * t]).toBeGreaterThanOrEqual(0);
      expect(path[2 * t]).toBeLessThanOrEqual(1);
      expect(path[2 * t + 1]).toBeGreaterThanOrEqual(0);
      expect(path[2 * t + 1]).toBeLessThanOrEqual(1);
      if (t >= 2 && Math.sign(path[2 * t] - path[2 * t - 2]) !== Math.sign(path[2 * t - 2] - path[2 * t - 4])) flipsX++;
    }
    expect(flipsX).toBeGreaterThan(5);
  });

  it("combines overlapping digits with max", () => {
    // Two copies of one uniform digit (value 1/255) on a canvas its own size overlap completely: max keeps 1/255
    // everywhere, where a sum would give 2/255.
    const data = new MovingMnist(blockDigits(1), { numDigits: 2, size: 28, digitSize: 28, frames: 3 }, 9);
    const video = data.nextBatchArray(1);
    for (const v of video) expect(v).toBeCloseTo((1 / 255) * 2 - 1, 6);
  });

  it("rescales digits for a 32 canvas", () => {
    const data = new MovingMnist(blockDigits(1), { size: 32, numDigits: 1 }, 0);
    const batch = data.nextBatch(2);
    expect(batch.shape).toEqual([2, 20, 32, 32, 1]);
    const frame = batch.dataSync().subarray(0, 32 * 32);
    expect(frame.filter((v) => v > -1).length).toBe(14 * 14); // 28 × 32/64
    batch.dispose();
  });

  it("splits digits deterministically into disjoint train and test sets", () => {
    const train = splitIndices(10_000, "train", 0.2);
    const test = splitIndices(10_000, "test", 0.2);
    const inTest = new Set(test);
    expect(train.every((i) => !inTest.has(i))).toBe(true);
    expect(train.length + test.length).toBe(10_000);
    expect(test.length / 10_000).toBeCloseTo(0.2, 1);
    expect(splitIndices(10_000, "test", 0.1).every((i) => isTestDigit(i, 0.2))).toBe(true);
  });

  it("draws only test digits from the test split", () => {
    const set = blockDigits(200); // digit i has value i + 1, so the frame max names the digit
    const allowed = new Set(splitIndices(200, "test", 0.2));
    const data = new MovingMnist(set, { split: "test", numDigits: 1, frames: 1 }, 4);
    const video = data.nextBatchArray(100);
    for (let b = 0; b < 100; b++) {
      const peak = Math.max(...video.subarray(b * 4096, (b + 1) * 4096));
      expect(allowed.has(Math.round(((peak + 1) / 2) * 255) - 1)).toBe(true);
    }
  });

  it("leaves no tensors behind when drawing many batches", () => {
    const data = new MovingMnist(blockDigits(), {}, 0);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) data.nextBatch(4).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("Moving MNIST with labels", () => {
  it("draws the same videos as the unlabelled stream for the same seed", () => {
    const plain = new MovingMnist(blockDigits(), { size: 32, frames: 8 }, 11);
    const labelled = new MovingMnist(blockDigits(), { size: 32, frames: 8 }, 11);
    for (let i = 0; i < 2; i++) expect(sameArray(labelled.nextLabelledBatchArray(3).videos, plain.nextBatchArray(3))).toBe(true);
  });

  it("names each slot's digit and gives velocities of the configured speed that match the motion", () => {
    // Block digit i has value i + 1 and label i % 10; one digit per clip, so the frame's max names it.
    const data = new MovingMnist(blockDigits(), { size: 64, frames: 6, numDigits: 1, digitSize: 8, speed: 0.1 }, 5);
    const { videos, labels } = data.nextLabelledBatchArray(4);
    expect(labels.digits.length).toBe(4);
    expect(labels.velocities.length).toBe(4 * 6 * 2);
    const frame = 64 * 64;
    for (let b = 0; b < 4; b++) {
      const clip = videos.subarray(b * 6 * frame, (b + 1) * 6 * frame);
      const value = Math.round(((Math.max(...clip) + 1) / 2) * 255);
      expect(labels.digits[b]).toBe((value - 1) % 10);
      for (let t = 0; t < 6; t++) {
        const [vx, vy] = [labels.velocities[(b * 6 + t) * 2], labels.velocities[(b * 6 + t) * 2 + 1]];
        expect(Math.hypot(vx, vy)).toBeCloseTo(0.1, 5);
      }
    }
  });
});
