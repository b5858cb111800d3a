import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeGif, videoToGif } from "@/lib/gan/video/gif";
import type { RgbaFrame } from "@/lib/gan/video/frames";
import { parseGif } from "./gif-parse";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** A gray ramp that shifts by t each frame: pixel (x, y) of frame t has value (x + 8y + t) mod 256 in [-1, 1]. */
function rampVideo(frames: number, size: number): tf.Tensor4D {
  const values = new Float32Array(frames * size * size);
  for (let t = 0; t < frames; t++) {
    for (let p = 0; p < size * size; p++) values[t * size * size + p] = (((p + t) % 256) / 255) * 2 - 1;
  }
  return tf.tensor4d(values, [frames, size, size, 1]);
}

describe("GIF writer", () => {
  it("writes a looping GIF89a with one image per frame and exact gray pixels", async () => {
    const video = rampVideo(16, 64);
    const gif = parseGif(await videoToGif(video, { delayMs: 80 }));
    video.dispose();
    expect(gif.version).toBe("GIF89a");
    expect(gif.loopCount).toBe(0); // NETSCAPE2.0 present, loop forever
    expect([gif.width, gif.height]).toEqual([64, 64]);
    expect(gif.frames).toHaveLength(16);
    expect(gif.frames.every((f) => f.delayCs === 8)).toBe(true);
    expect(gif.globalPalette!.slice(0, 3)).toEqual([[0, 0, 0], [1, 1, 1], [2, 2, 2]]);
    // With the fixed gray palette the colour index is the gray level itself.
    const f5 = gif.frames[5].indices;
    for (const p of [0, 1, 100, 4095]) expect(f5[p]).toBe((p + 5) % 256);
  });

  it("tiles a batch into one GIF, one video per grid cell", async () => {
    const batch = tf.zeros([4, 3, 8, 8, 1]) as tf.Tensor5D;
    const gif = parseGif(await videoToGif(batch, { pad: 1 }));
    batch.dispose();
    expect([gif.width, gif.height]).toEqual([2 * 9 + 1, 2 * 9 + 1]);
    expect(gif.frames).toHaveLength(3);
  });

  it("quantizes colour frames to one palette that keeps flat colours", () => {
    const colours = [[255, 0, 0], [0, 200, 0], [20, 40, 250]];
    const frames: RgbaFrame[] = colours.map((c) => {
      const data = new Uint8ClampedArray(16 * 16 * 4);
      for (let p = 0; p < data.length; p += 4) data.set([...c, 255], p);
      return { width: 16, height: 16, data };
    });
    const gif = parseGif(encodeGif(frames));
    expect(gif.frames).toHaveLength(3);
    gif.frames.forEach((f, t) => {
      const rgb = gif.globalPalette![f.indices[0]];
      rgb.forEach((v, c) => expect(Math.abs(v - colours[t][c])).toBeLessThanOrEqual(8)); // rgb565 rounding
    });
  });

  it("plays once when asked and rejects empty input", () => {
    const frame: RgbaFrame = { width: 1, height: 1, data: Uint8ClampedArray.of(0, 0, 0, 255) };
    expect(parseGif(encodeGif([frame, frame], { repeat: -1 })).loopCount).toBeNull();
    expect(() => encodeGif([])).toThrow(/at least one frame/);
  });
});
