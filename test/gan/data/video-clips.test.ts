import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { ClipSampler, clipStarts, convertFrame, defaultClipSamplerConfig } from "@/lib/gan/data/video-clips";
import type { RgbaFrame } from "@/lib/gan/video/frames";
import { useCpu } from "./fixtures";

beforeAll(useCpu);

/** Frame i is a flat gray of value i, so a clip's pixels say which source frames it took. */
function numberedFrames(count: number, width = 8, height = 8): RgbaFrame[] {
  return Array.from({ length: count }, (_, i) => {
    const data = new Uint8ClampedArray(width * height * 4);
    for (let p = 0; p < data.length; p += 4) data.set([i, i, i, 255], p);
    return { width, height, data };
  });
}

const toByte = (v: number) => Math.round((v + 1) * 127.5);

describe("clip sampler", () => {
  it("cuts as many clips as fit, for each stride and hop", () => {
    expect(clipStarts(100, { frames: 16, stride: 1, hop: "clip" })).toHaveLength(6); // 0, 16, …, 80
    expect(clipStarts(100, { frames: 16, stride: 2, hop: "clip" })).toEqual([0, 32, 64]); // span 31
    expect(clipStarts(100, { frames: 16, stride: 1, hop: 1 })).toHaveLength(85);
    expect(clipStarts(15, { frames: 16, stride: 1, hop: 1 })).toHaveLength(0);
  });

  it("serves clips of consecutive (strided) frames, each once per epoch, in a seeded order", () => {
    const sampler = new ClipSampler(numberedFrames(40), { frames: 4, stride: 2, hop: 4, height: 4, width: 4, channels: 1 }, 5);
    expect(sampler.clipCount).toBe(9); // starts 0, 4, …, 32 (span 7)
    const batch = sampler.nextBatchArray(9);
    const firsts: number[] = [];
    for (let b = 0; b < 9; b++) {
      const frameValues = [0, 1, 2, 3].map((t) => toByte(batch[(b * 4 + t) * 16]));
      firsts.push(frameValues[0]);
      expect(frameValues).toEqual([0, 2, 4, 6].map((d) => frameValues[0] + d));
    }
    expect([...firsts].sort((a, b) => a - b)).toEqual([0, 4, 8, 12, 16, 20, 24, 28, 32]);
    expect(firsts).not.toEqual([...firsts].sort((a, b) => a - b)); // shuffled
    const again = new ClipSampler(numberedFrames(40), { frames: 4, stride: 2, hop: 4, height: 4, width: 4, channels: 1 }, 5);
    expect(Array.from(again.nextBatchArray(9))).toEqual(Array.from(batch));
    sampler.reset(5);
    expect(Array.from(sampler.nextBatchArray(9))).toEqual(Array.from(batch));
  });

  it("normalises 0..255 to [-1, 1] and converts colour to luma", () => {
    const frame: RgbaFrame = { width: 2, height: 1, data: Uint8ClampedArray.of(0, 0, 0, 255, 255, 255, 255, 255) };
    const out = new Float32Array(2);
    convertFrame(frame, { ...defaultClipSamplerConfig, width: 2, height: 1, channels: 1, resize: "area" }, out, 0);
    expect(Array.from(out)).toEqual([-1, 1]);
    const red: RgbaFrame = { width: 1, height: 1, data: Uint8ClampedArray.of(255, 0, 0, 255) };
    const luma = new Float32Array(1);
    convertFrame(red, { ...defaultClipSamplerConfig, width: 1, height: 1, channels: 1 }, luma, 0);
    expect(luma[0]).toBeCloseTo(0.299 * 2 - 1, 5);
    const rgb = new Float32Array(3);
    convertFrame(red, { ...defaultClipSamplerConfig, width: 1, height: 1, channels: 3 }, rgb, 0);
    expect(Array.from(rgb)).toEqual([1, -1, -1]);
  });

  it("resizes a known pattern: 2×2 colour blocks shrink to one pixel each", () => {
    // 8×8 frame of four 4×4 quadrants: red, green / blue, white → 2×2 RGB.
    const colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]];
    const data = new Uint8ClampedArray(8 * 8 * 4);
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 8; x++) data.set([...colours[(y >> 2) * 2 + (x >> 2)], 255], (y * 8 + x) * 4);
    }
    const out = new Float32Array(12);
    convertFrame({ width: 8, height: 8, data }, { ...defaultClipSamplerConfig, width: 2, height: 2 }, out, 0);
    expect(Array.from(out)).toEqual(colours.flat().map((c) => c / 127.5 - 1));
  });

  it("crops the centre to the target aspect before resizing", () => {
    // 12×4 frame: black 4 columns, white 4, black 4. A centre crop to square keeps only the white middle.
    const data = new Uint8ClampedArray(12 * 4 * 4);
    for (let y = 0; y < 4; y++) for (let x = 4; x < 8; x++) data.set([255, 255, 255, 255], (y * 12 + x) * 4);
    const cfg = { ...defaultClipSamplerConfig, width: 2, height: 2, channels: 1 as const };
    const out = new Float32Array(4);
    convertFrame({ width: 12, height: 4, data }, cfg, out, 0);
    expect(Array.from(out)).toEqual([1, 1, 1, 1]);
    convertFrame({ width: 12, height: 4, data }, { ...cfg, crop: "stretch" }, out, 0);
    expect(out[0]).toBeLessThan(0); // stretched, the black sides come back
  });

  it("makes [B, T, H, W, C] tensors and leaves none behind", () => {
    const sampler = new ClipSampler(numberedFrames(50, 32, 24), { frames: 8, height: 16, width: 16 }, 0);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) {
      const batch = sampler.nextBatch(3);
      expect(batch.shape).toEqual([3, 8, 16, 16, 3]);
      batch.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("refuses a video shorter than one clip", () => {
    expect(() => new ClipSampler(numberedFrames(5), { frames: 16 })).toThrow(/too few/);
  });
});
