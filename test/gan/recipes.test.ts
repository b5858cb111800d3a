// The training-recipe options: the generator EMA's half-life with ramp-up, MoCoGAN's k judged frames and its own
// image batch, a frame discriminator for TGAN and VGAN, MoCoGAN's generator width, the video discriminators at half
// resolution. Each: shapes, gradients reach every variable, and no tensor is left behind across training steps.
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { checkpointArtifacts, loadCheckpoint } from "@/lib/gan/checkpoint";
import { createModel, modelKinds, tinyWidth, type Mocogan } from "@/lib/gan/models";
import { halveFrames, minibatchStdDev } from "@/lib/gan/models/blocks";
import { emaBeta } from "@/lib/gan/train/ema";
import { createTrainState, train, type TrainStateOptions } from "@/lib/gan/train";
import type { VideoGan } from "@/lib/gan/types";
import { numTensors, tinyData, useCpu } from "./train-helpers";

beforeAll(useCpu);

const tiny = { width: tinyWidth, size: 16, frames: 8, channels: 1 };
const realBatch = () => tf.randomUniform([2, 8, 16, 16, 1], -1, 1, "float32", 11) as tf.Tensor5D;

/** Names of variables whose gradient from `loss` is missing or exactly zero. */
function deadVariables(m: VideoGan, loss: () => tf.Scalar, vars: tf.Variable[]): string[] {
  const names = new Map([...m.stateVars()].map(([name, v]) => [v.name, name]));
  return tf.tidy(() => {
    const { grads } = tf.variableGrads(loss, vars);
    return vars.filter((v) => grads[v.name] == null || tf.max(tf.abs(grads[v.name])).dataSync()[0] === 0).map((v) => names.get(v.name) ?? v.name);
  });
}

/** Live tensors after each of `steps` real training steps. */
async function tensorCounts(model: VideoGan, steps: number, ema: TrainStateOptions["ema"] = 0.9): Promise<number[]> {
  const data = await tinyData();
  const counts: number[] = [];
  const { state } = await train(model, data, { steps, batchSize: 2, seed: 3, ema, onStep: () => void counts.push(numTensors()) });
  state.dispose();
  return counts;
}

describe("EMA with StyleGAN2-ADA's half-life and ramp-up", () => {
  it("copies the weights at the first update, then averages over rampUp × the images seen, capped at the half-life", () => {
    const s = { halfLifeImages: 1000, rampUp: 0.05 };
    expect(emaBeta(s, 0, 16)).toBe(0);
    expect(emaBeta(s, 100, 16)).toBeCloseTo(0.5 ** (16 / 80), 12); // 1,600 images seen: half-life 80
    expect(emaBeta(s, 1e6, 16)).toBeCloseTo(0.5 ** (16 / 1000), 12); // capped at the half-life
    expect(emaBeta({ halfLifeImages: 1000 }, 0, 16)).toBeCloseTo(0.5 ** (16 / 1000), 12); // no ramp-up
  });

  it("keeps a fixed decay's TensorFlow-style warm-up", () => {
    expect(emaBeta(0.999, 0, 16)).toBeCloseTo(0.1, 12);
    expect(emaBeta(0.999, 1e6, 16)).toBe(0.999);
  });

  it("rejects a non-positive half-life", () => {
    const m = createModel("vgan", tiny, 1);
    expect(() => createTrainState(m, { ema: { halfLifeImages: 0 } })).toThrow(/halfLifeImages/);
    m.dispose();
  });

  it("equals the raw generator after one step (ramp-up from nothing seen), and leaks nothing over steps", async () => {
    const data = await tinyData(); // its digit pool is cached once per process
    const before = numTensors();
    const m = createModel("vgan", tiny, 1);
    const { state } = await train(m, data, { steps: 1, batchSize: 2, seed: 3, ema: { halfLifeImages: 500, rampUp: 0.05 } });
    const raw = new Map([...m.stateVars()]);
    tf.tidy(() => {
      for (const [name, s] of state.ema!.shadow) expect(tf.max(tf.abs(tf.sub(s, raw.get(name)!))).dataSync()[0]).toBe(0);
    });
    state.dispose();
    const counts = await tensorCounts(m, 6, { halfLifeImages: 500, rampUp: 0.05 });
    expect(counts[5]).toBe(counts[1]);
    m.dispose();
    expect(numTensors()).toBe(before);
  }, 60_000);

  it("survives a checkpoint round trip with its schedule and shadow", async () => {
    const m = createModel("vgan", tiny, 1);
    const data = await tinyData();
    const schedule = { halfLifeImages: 300, rampUp: 0.1 };
    const { state } = await train(m, data, { steps: 3, batchSize: 2, seed: 3, ema: schedule });
    const artifacts = await checkpointArtifacts(m, state);
    const m2 = createModel("vgan", tiny, 5);
    const { state: loaded, meta } = await loadCheckpoint({ load: async () => artifacts }, m2);
    expect(meta.ema).toEqual({ halfLife: schedule });
    expect(loaded.ema!.settings).toEqual(schedule);
    for (const [name, s] of state.ema!.shadow) {
      expect(tf.max(tf.abs(tf.sub(s, loaded.ema!.shadow.get(name)!))).dataSync()[0]).toBe(0);
    }
    [state, loaded].forEach((s) => s.dispose());
    [m, m2].forEach((x) => x.dispose());
  }, 60_000);

  it("still loads a checkpoint whose EMA is a fixed decay", async () => {
    const m = createModel("vgan", tiny, 1);
    const state = createTrainState(m, { ema: 0.99 });
    const artifacts = await checkpointArtifacts(m, state);
    const { state: loaded, meta } = await loadCheckpoint({ load: async () => artifacts }, m);
    expect(meta.ema).toEqual({ decay: 0.99 });
    expect(loaded.ema!.decay).toBe(0.99);
    [state, loaded].forEach((s) => s.dispose());
    m.dispose();
  });
});

describe("MoCoGAN: k judged frames and the image batch of its own", () => {
  it.each([
    ["clips", 3],
    ["own", 3],
    ["own", 1],
  ] as const)("imageBatch %s, k = %i: D_I sees B·k frames, every variable trains", (imageBatch, k) => {
    const m = createModel("mocogan", { ...tiny, imageFrames: k, imageBatch }, 1) as Mocogan;
    const seen: number[] = [];
    const original = m.discriminateImages.bind(m);
    m.discriminateImages = (x, training) => {
      seen.push(x.shape[0]);
      return original(x, training);
    };
    const real = realBatch();
    expect(deadVariables(m, () => m.discriminatorLoss(real, 2).loss, m.discriminatorVars)).toEqual([]);
    expect(deadVariables(m, () => m.generatorLoss(2, 3).loss, m.generatorVars)).toEqual([]);
    expect(new Set(seen)).toEqual(new Set([2 * k]));
    real.dispose();
    m.dispose();
  });

  it("outputBias adds one trained bias to G's last layer", () => {
    const plain = createModel("mocogan", tiny, 1);
    const biased = createModel("mocogan", { ...tiny, outputBias: true }, 1);
    expect(biased.generatorVars.length).toBe(plain.generatorVars.length + 1);
    expect([...biased.stateVars().keys()]).toContain("g.out.b");
    expect(deadVariables(biased, () => biased.generatorLoss(2, 3).loss, biased.generatorVars)).toEqual([]);
    plain.dispose();
    biased.dispose();
  });

  it("rejects k outside [1, frames]", () => {
    expect(() => createModel("mocogan", { ...tiny, imageFrames: 9 }, 1)).toThrow(/imageFrames/);
  });

  it("holds its tensor count across steps with k = 4 and its own image batch", async () => {
    const m = createModel("mocogan", { ...tiny, imageFrames: 4, imageBatch: "own", dVideoHalfRes: true }, 1);
    const counts = await tensorCounts(m, 5);
    expect(counts[4]).toBe(counts[1]);
    m.dispose();
  }, 60_000);
});

describe("a frame discriminator beside TGAN's and VGAN's video discriminator", () => {
  it.each(["tgan", "vgan"] as const)("%s: k frames of each clip judged, its loss in both networks, every variable trains", (kind) => {
    const plain = createModel(kind, tiny, 1);
    const m = createModel(kind, { ...tiny, imageFrames: 2, imageDWidth: 2 }, 1);
    const frameVars = [...m.stateVars().keys()].filter((name) => name.startsWith("d.image"));
    expect(frameVars).toContain("d.imageHead.w");
    expect(m.discriminatorVars.length).toBeGreaterThan(plain.discriminatorVars.length);
    const videoChannels = m.stateVars().get("d.body.conv0.w")!.shape.at(-1)!;
    expect(m.stateVars().get("d.image.conv0.w")!.shape).toEqual([4, 4, 1, 2 * videoChannels]);
    const real = realBatch();
    const d = m.discriminatorLoss(real, 2);
    expect(Object.keys(d.extras ?? {})).toEqual(expect.arrayContaining(["videoLoss", "imageLoss"]));
    const g = m.generatorLoss(2, 3);
    expect(g.loss.dataSync()[0]).toBeCloseTo(g.extras!.videoLoss.dataSync()[0] + g.extras!.imageLoss.dataSync()[0] + (kind === "vgan" ? 0.1 * g.extras!.maskL1.dataSync()[0] : 0), 5);
    tf.dispose([d, g] as unknown as tf.TensorContainer);
    expect(deadVariables(m, () => m.discriminatorLoss(real, 2).loss, m.discriminatorVars)).toEqual([]);
    expect(deadVariables(m, () => m.generatorLoss(2, 3).loss, m.generatorVars)).toEqual([]);
    real.dispose();
    [plain, m].forEach((x) => x.dispose());
  });

  it("is off by default (the papers have none) and rejects k outside [0, frames]", () => {
    for (const kind of ["tgan", "vgan"] as const) {
      const m = createModel(kind, tiny, 1);
      expect([...m.stateVars().keys()].some((name) => name.startsWith("d.image"))).toBe(false);
      m.dispose();
      expect(() => createModel(kind, { ...tiny, imageFrames: 9 }, 1)).toThrow(/imageFrames/);
    }
  });

  it("TGAN's singular value clipping bounds the frame critic too", async () => {
    const m = createModel("tgan", { ...tiny, imageFrames: 1, loss: "wgan", svc: true, spectralNorm: false }, 1);
    const w = m.stateVars().get("d.image.conv1.w")!;
    w.assign(tf.mul(w, 1000)); // singular values far above 1
    await (m as unknown as { clipCritic(): Promise<void> }).clipCritic();
    // ‖xW‖ ≤ ‖x‖ for any x once every singular value of W (as [fan-in, out]) is at most 1.
    const [gain] = tf.tidy(() => {
      const w2 = tf.reshape(w, [-1, w.shape.at(-1)!]);
      const x = tf.randomNormal([64, w2.shape[0]], 0, 1, "float32", 5);
      return tf.max(tf.div(tf.norm(tf.matMul(x, w2), 2, 1), tf.norm(x, 2, 1))).dataSync();
    });
    expect(gain).toBeLessThan(1.001);
    m.dispose();
  });

  it.each(["tgan", "vgan"] as const)("%s holds its tensor count across steps with a frame discriminator", async (kind) => {
    const m = createModel(kind, { ...tiny, imageFrames: 2 }, 1);
    const counts = await tensorCounts(m, 5);
    expect(counts[4]).toBe(counts[1]);
    m.dispose();
  }, 60_000);
});

describe("MoCoGAN's generator width", () => {
  it("widens G alone: twice the channels in every layer of the image generator, D unchanged", () => {
    const plain = createModel("mocogan", tiny, 1);
    const wide = createModel("mocogan", { ...tiny, generatorWidth: 2 }, 1);
    const shape = (m: VideoGan, name: string) => m.stateVars().get(name)!.shape as number[];
    expect(shape(wide, "g.out.w")[3]).toBe(2 * shape(plain, "g.out.w")[3]);
    expect(shape(wide, "g.image.stem.w")[1]).toBe(2 * shape(plain, "g.image.stem.w")[1]);
    expect(wide.discriminatorVars.map((v) => v.shape)).toEqual(plain.discriminatorVars.map((v) => v.shape));
    expect(() => createModel("mocogan", { ...tiny, generatorWidth: 0 }, 1)).toThrow(/generatorWidth/);
    [plain, wide].forEach((m) => m.dispose());
  });
});

describe("video discriminators at half resolution", () => {
  it("halveFrames averages 2×2 blocks of every frame and passes gradients back", () => {
    tf.tidy(() => {
      const x = tf.tensor5d(Array.from({ length: 2 * 4 * 4 * 2 }, (_, i) => i), [1, 2, 4, 4, 2]);
      const y = halveFrames(x);
      expect(y.shape).toEqual([1, 2, 2, 2, 2]);
      // frame 0, block (0, 0), channel 0: pixels (0,0), (0,1), (1,0), (1,1) hold 0, 2, 8, 10
      expect(y.arraySync()[0][0][0][0][0]).toBe(5);
      const g = tf.grad((v: tf.Tensor) => tf.sum(halveFrames(v as tf.Tensor5D)))(x);
      expect([...g.dataSync()].every((v) => v === 0.25)).toBe(true);
    });
  });

  it.each(modelKinds)("%s: fewer discriminator parameters, every variable trains, no leak", async (kind) => {
    const full = createModel(kind, tiny, 1);
    const half = createModel(kind, { ...tiny, dVideoHalfRes: true }, 1);
    const size = (m: VideoGan) => m.discriminatorVars.reduce((n, v) => n + v.size, 0);
    expect(size(half)).toBeLessThan(size(full));
    const real = realBatch();
    expect(deadVariables(half, () => half.discriminatorLoss(real, 2).loss, half.discriminatorVars)).toEqual([]);
    expect(deadVariables(half, () => half.generatorLoss(2, 3).loss, half.generatorVars)).toEqual([]);
    const counts = await tensorCounts(half, 4);
    expect(counts[3]).toBe(counts[1]);
    real.dispose();
    full.dispose();
    half.dispose();
  }, 60_000);

  it("refuses frames too small to pool", () => {
    expect(() => createModel("vgan", { ...tiny, size: 8, dVideoHalfRes: true }, 1)).toThrow(/dVideoHalfRes/);
  });
});

describe("minibatch standard deviation in TGAN's and VGAN's discriminators", () => {
  it("adds one channel: each group's mean feature spread, tiled over the group's samples", () => {
    tf.tidy(() => {
      // 4 samples of [1, 1, 2] features; groups of 2 pair samples {0, 2} and {1, 3} (sample i with i mod 2).
      const x = tf.tensor4d([0, 0, 1, 1, 2, 2, 3, 5], [4, 1, 1, 2]);
      const y = minibatchStdDev(x, 2);
      expect(y.shape).toEqual([4, 1, 1, 3]);
      const spread = tf.slice(y, [0, 0, 0, 2], [4, 1, 1, 1]).dataSync();
      // group {0, 2}: features (0, 0) and (2, 2) → std 1 each; group {1, 3}: (1, 1), (3, 5) → std 1 and 2 → 1.5
      expect([...spread].map((v) => +v.toFixed(4))).toEqual([1, 1.5, 1, 1.5]);
      // a batch that does not divide takes the largest group size that does: 3 samples, groups of 4 → one of 3
      expect(minibatchStdDev(tf.zeros([3, 1, 1, 2]), 4).shape).toEqual([3, 1, 1, 3]);
    });
  });

  it.each(["tgan", "vgan"] as const)("%s: the head gets one more input, every variable trains, no leak", async (kind) => {
    const m = createModel(kind, { ...tiny, mbstdGroup: 2 }, 1);
    const real = realBatch();
    expect(deadVariables(m, () => m.discriminatorLoss(real, 2).loss, m.discriminatorVars)).toEqual([]);
    expect(deadVariables(m, () => m.generatorLoss(2, 3).loss, m.generatorVars)).toEqual([]);
    const counts = await tensorCounts(m, 4);
    expect(counts[3]).toBe(counts[1]);
    expect(() => createModel(kind, { ...tiny, mbstdGroup: 1.5 }, 1)).toThrow(/mbstdGroup/);
    real.dispose();
    m.dispose();
  }, 60_000);
});
