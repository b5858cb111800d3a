import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { floatToRgbaFrames, videoToFrames } from "@/lib/gan/video/frames";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("videoToFrames", () => {
  it("maps [-1, 1] to 0..255, gray to R = G = B, with opaque alpha", async () => {
    const video = tf.tensor4d([-1, 0, 1, 2], [1, 1, 4, 1]); // [T, H, W, C]; 2 is out of range and clamps
    const frames = await videoToFrames(video);
    expect(frames).toHaveLength(1);
    expect(Array.from(frames[0].data)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
    video.dispose();
  });

  it("reads RGB batches as frames[b][t] and leaves the tensor to its owner", async () => {
    const video = tf.tidy(() => tf.stack([tf.fill([3, 2, 2, 3], 1), tf.fill([3, 2, 2, 3], -1)]) as tf.Tensor5D);
    const before = tf.memory().numTensors;
    const frames = await videoToFrames(video);
    expect(tf.memory().numTensors).toBe(before);
    expect(video.isDisposed).toBe(false);
    expect(frames).toHaveLength(2);
    expect(frames[0]).toHaveLength(3);
    expect(frames[1][2]).toMatchObject({ width: 2, height: 2 });
    expect(frames[0][0].data[0]).toBe(255);
    expect(frames[1][0].data[0]).toBe(0);
    video.dispose();
  });

  it("converts plain Float32 arrays without tf", () => {
    const frames = floatToRgbaFrames(Float32Array.of(1, -1, -1), [1, 1, 1, 3]);
    expect(Array.from(frames[0][0].data)).toEqual([255, 0, 0, 255]);
    expect(() => floatToRgbaFrames(new Float32Array(4), [1, 1, 2, 2])).toThrow(/C = 1 or 3/);
  });
});
