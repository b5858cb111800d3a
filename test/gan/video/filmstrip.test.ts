import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { decode } from "fast-png";
import { beforeAll, describe, expect, it } from "vitest";
import { videoToFilmstrip } from "@/lib/gan/video/filmstrip";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("filmstrip PNG", () => {
  it("lays out videos as rows and frames as columns, gray as one channel", async () => {
    // Video b, frame t is a flat gray of value (b·4 + t)/10 in [0, 1] → byte round(255·v).
    const B = 2;
    const T = 4;
    const values = new Float32Array(B * T * 6 * 5);
    for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) values.fill(((b * 4 + t) / 10) * 2 - 1, (b * T + t) * 30, (b * T + t + 1) * 30);
    const video = tf.tensor5d(values, [B, T, 6, 5, 1]);
    const png = decode(await videoToFilmstrip(video, { pad: 2 }));
    video.dispose();
    expect([png.width, png.height, png.channels]).toEqual([T * (5 + 2) + 2, B * (6 + 2) + 2, 1]);
    const at = (x: number, y: number) => png.data[y * png.width + x];
    expect(at(0, 0)).toBe(128); // the gap
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const x = 2 + t * 7 + 2;
        const y = 2 + b * 8 + 3;
        expect(at(x, y)).toBe(Math.round((Math.fround(((b * 4 + t) / 10) * 2 - 1) + 1) * 127.5)); // as float32 in
      }
    }
  });

  it("writes colour videos as RGB and can enlarge and cut frames", async () => {
    const video = tf.tidy(() => tf.concat([tf.ones([3, 2, 2, 1]), tf.fill([3, 2, 2, 2], -1)], -1) as tf.Tensor4D);
    const png = decode(await videoToFilmstrip(video, { pad: 0, scale: 3, maxFrames: 2 }));
    video.dispose();
    expect([png.width, png.height, png.channels]).toEqual([2 * 6, 6, 3]);
    expect(Array.from(png.data.slice(0, 3))).toEqual([255, 0, 0]);
  });
});
