// FVD-MM with the checked-in classifier weights: the temporal sensitivity ordering, the floor and untrained bearings,
// and no tensor left behind. Small n (128 clips per set) and tiny models keep it under a minute on wasm.
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "@/lib/gan";
import { loadDigits } from "@/lib/gan/data/mnist-load";
import { createModel, tinyWidth } from "@/lib/gan/models";
import {
  disposeVideoMetrics,
  evaluateVideoGan,
  frozenInTime,
  metricNets,
  movingMnistSource,
  noiseLike,
  scoresAgainst,
  setStats,
  shuffledInTime,
} from "@/lib/gan/metrics/evaluate";

const N = 128;

beforeAll(async () => void (await initBackend("wasm")));
afterAll(disposeVideoMetrics);

describe("FVD-MM", () => {
  it("orders real < shuffled in time < frozen on one frame < noise, and real-vs-real is the lowest", async () => {
    const nets = await metricNets();
    const digits = await loadDigits();
    const real = movingMnistSource(digits, { size: 32, frames: 16, split: "test" });
    const reference = await setStats(nets, real, N, 1);
    const score = async (source: typeof real) => scoresAgainst(reference, await setStats(nets, source, N, 2)).fvd_mm;
    const figures = {
      real: await score(real),
      shuffled: await score(shuffledInTime(real)),
      frozen: await score(frozenInTime(real)),
      noise: await score(noiseLike({ frames: 16, height: 32, width: 32, channels: 1 })),
    };
    console.log(`FVD-MM at n=${N}: ${JSON.stringify(figures)}`);
    expect(figures.real).toBeLessThan(figures.shuffled);
    expect(figures.shuffled).toBeLessThan(figures.frozen);
    expect(figures.frozen).toBeLessThan(figures.noise);
  });

  it("scores a model with the floor and the untrained score beside it, and holds no tensors across calls", async () => {
    const model = createModel("vgan", { frames: 16, size: 32, channels: 1, width: tinyWidth }, 3);
    const first = await evaluateVideoGan(model, { n: 32, batch: 16 });
    const before = tf.memory().numTensors;
    const again = await evaluateVideoGan(model, { n: 32, batch: 16 });
    expect(tf.memory().numTensors).toBe(before);
    expect(again.fvd_mm).toBeCloseTo(first.fvd_mm, 6); // same seed, same clips
    for (const v of [first.fvd_mm, first.fid_mm, first.floor.fvd_mm, first.untrained!.fvd_mm]) expect(Number.isFinite(v)).toBe(true);
    expect(first.floor.fvd_mm).toBeLessThan(first.fvd_mm);
    expect(first.digit_conf).toBeGreaterThan(0.1);
    expect(first.digit_conf).toBeLessThanOrEqual(1);
    model.dispose();
    const live = tf.memory().numTensors;
    await disposeVideoMetrics();
    expect(tf.memory().numTensors).toBeLessThan(live);
  });

  it("handles 64×64 models by averaging their frames down", async () => {
    const model = createModel("vgan", { frames: 16, size: 64, channels: 1, width: tinyWidth }, 3);
    const m = await evaluateVideoGan(model, { n: 16, batch: 8, untrained: false });
    expect(Number.isFinite(m.fvd_mm)).toBe(true);
    expect(m.untrained).toBeUndefined();
    model.dispose();
  });
});
