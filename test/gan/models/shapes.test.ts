import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { createModel, modelKinds, tinyWidth } from "@/lib/gan/models";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

function range(v: tf.Tensor): [number, number] {
  return tf.tidy(() => [tf.min(v).dataSync()[0], tf.max(v).dataSync()[0]]);
}

describe.each(modelKinds)("%s at tiny width", (kind) => {
  it.each([
    [32, 32, 1],
    [32, 32, 3],
    [64, 64, 1],
    [64, 64, 3],
  ])("%i×%i frames, %i channel(s): [B, T, H, W, C] in [-1, 1]", (size, _, channels) => {
    const frames = size === 64 ? 8 : 16; // 16 frames is the default; 8 keeps the 64×64 cases quick
    const m = createModel(kind, { width: tinyWidth, size, channels, frames }, 1);
    expect(m.shape).toEqual({ frames, height: size, width: size, channels });
    for (const training of [false, true]) {
      const v = tf.tidy(() => m.generate(m.sampleLatent(2, 3), { training }));
      expect(v.shape).toEqual([2, frames, size, size, channels]);
      const [lo, hi] = range(v);
      expect(lo).toBeGreaterThanOrEqual(-1);
      expect(hi).toBeLessThanOrEqual(1);
      expect(hi - lo).toBeGreaterThan(0);
      v.dispose();
    }
    m.dispose();
  });

  it("rejects sizes that are not 4·2^k and real batches of the wrong shape", () => {
    expect(() => createModel(kind, { width: tinyWidth, size: 48 })).toThrow(/size/);
    const m = createModel(kind, { width: tinyWidth, size: 16, frames: 8 }, 1);
    expect(() => m.discriminatorLoss(tf.zeros([2, 8, 16, 16, 3]) as tf.Tensor5D, 0)).not.toThrow();
    expect(() => m.discriminatorLoss(tf.zeros([2, 4, 16, 16, 3]) as tf.Tensor5D, 0)).toThrow(/expected/);
    m.dispose();
  });
});

describe("discriminator outputs", () => {
  const real = () => tf.randomUniform([2, 8, 16, 16, 1], -1, 1, "float32", 1) as tf.Tensor5D;

  it("TGAN scores each remaining time step; VGAN gives one logit; MoCoGAN gives patch logits", () => {
    const base = { width: tinyWidth, size: 16, frames: 8, channels: 1 };
    const t = createModel("tgan", base, 1);
    expect(t.discriminate(real(), false).shape).toEqual([2, 2]); // 8 frames → 4 → 2 after two stride-2 layers
    const v = createModel("vgan", base, 1);
    expect(v.discriminate(real(), false).shape).toEqual([2, 1]);
    const m = createModel("mocogan", base, 1);
    expect(m.discriminateVideos(real(), false).shape).toEqual([2, 1]);
    expect(m.discriminateImages(tf.zeros([3, 16, 16, 1]) as tf.Tensor4D, false).shape).toEqual([3, 1]);
    const m64 = createModel("mocogan", { ...base, size: 64, frames: 16 }, 1);
    expect(m64.discriminateVideos(tf.zeros([1, 16, 64, 64, 1]) as tf.Tensor5D, false).shape).toEqual([1, 1]); // 16→13→10→7→4→1
    expect(m64.discriminateImages(tf.zeros([1, 64, 64, 1]) as tf.Tensor4D, false).shape).toEqual([1, 16]); // 4×4 patches
    for (const x of [t, v, m, m64]) x.dispose();
  });

  it("VGAN composes video = m·f + (1 − m)·b with a mask in [0, 1]", () => {
    const v = createModel("vgan", { width: tinyWidth, size: 16, frames: 8 }, 2);
    tf.tidy(() => {
      const o = v.forward(v.sampleLatent(2, 1), true);
      expect(o.mask.shape).toEqual([2, 8, 16, 16, 1]);
      expect(o.background.shape).toEqual([2, 16, 16, 3]);
      const [lo, hi] = range(o.mask);
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(1);
      const bg = tf.reshape(o.background, [2, 1, 16, 16, 3]);
      const expected = tf.add(tf.mul(o.mask, o.foreground), tf.mul(tf.sub(1, o.mask), bg));
      expect(tf.max(tf.abs(tf.sub(expected, o.video))).dataSync()[0]).toBeLessThan(1e-6);
      const still = tf.sub(tf.slice(bg, [0, 0, 0, 0, 0], [1, 1, 16, 16, 3]), tf.slice(bg, [1, 0, 0, 0, 0], [1, 1, 16, 16, 3]));
      expect(tf.max(tf.abs(still)).dataSync()[0]).toBeGreaterThan(0); // each video has its own background
    });
    v.dispose();
  });
});
