import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { train, type StepMetrics } from "@/lib/gan/train";
import { stepSeed } from "@/lib/gan/train/seeds";
import { numTensors, tinyData, tinyModel, useCpu } from "./train-helpers";

beforeAll(useCpu);

async function losses(seed: number, steps: number): Promise<StepMetrics[]> {
  const model = tinyModel("vgan");
  const data = await tinyData();
  const out: StepMetrics[] = [];
  const { state } = await train(model, data, { steps, batchSize: 2, seed, onStep: (m) => void out.push(m) });
  state.dispose();
  model.dispose();
  return out;
}

describe("train", () => {
  it("reports every metric, finite, once per step", async () => {
    const metrics = await losses(1, 3);
    expect(metrics.map((m) => m.step)).toEqual([1, 2, 3]);
    for (const m of metrics) {
      for (const key of ["loss_d", "loss_g", "d_real", "d_fake", "grad_norm_d", "grad_norm_g", "step_ms"]) {
        expect(Number.isFinite(m[key]), `${key} = ${m[key]}`).toBe(true);
      }
      expect(m.grad_norm_d).toBeGreaterThan(0);
      expect(m.g_maskL1).toBeGreaterThan(0); // model extras come through with the network's prefix
    }
  });

  it("gives the same losses for the same seed and different ones for another", async () => {
    const [a, b, c] = [await losses(5, 3), await losses(5, 3), await losses(6, 3)];
    const pick = (ms: StepMetrics[]) => ms.map((m) => [m.loss_d, m.loss_g]);
    expect(pick(a)).toEqual(pick(b));
    expect(pick(a)).not.toEqual(pick(c));
  });

  it("runs nCritic discriminator updates per step", async () => {
    const model = tinyModel("vgan");
    const { state } = await train(model, await tinyData(), { steps: 2, batchSize: 2, seed: 1, nCritic: 3 });
    expect(state.optimizers.discriminator.iterations).toBe(6);
    expect(state.optimizers.generator.iterations).toBe(2);
    state.dispose();
    model.dispose();
  });

  it("uses the model's Adam defaults unless overridden", async () => {
    const model = tinyModel("tgan");
    const { state } = await train(model, await tinyData(), { steps: 0, batchSize: 2, seed: 1, generator: { learningRate: 1e-3 } });
    expect(state.settings.generator).toEqual({ ...model.optim.generator, learningRate: 1e-3 });
    expect(state.settings.discriminator).toEqual(model.optim.discriminator);
    state.dispose();
    model.dispose();
  });

  it("stops within one step when aborted, and frees that step's tensors", async () => {
    const model = tinyModel("vgan");
    const controller = new AbortController();
    const before = numTensors();
    const seen: number[] = [];
    const result = await train(model, await tinyData(), {
      steps: 100,
      batchSize: 2,
      seed: 1,
      onStep: (m) => {
        seen.push(m.step);
        if (m.step === 2) setTimeout(() => controller.abort(), 0); // as a worker's message handler would
      },
      signal: controller.signal,
    });
    expect(result.aborted).toBe(true);
    expect(result.step).toBeLessThanOrEqual(3);
    expect(seen.at(-1)).toBe(result.step);
    result.state.dispose();
    expect(numTensors()).toBe(before); // an interrupted step leaves nothing behind
    model.dispose();
  });

  it("samples one fixed latent at step 0 and every sampleEvery steps; the callback owns the tensor", async () => {
    const model = tinyModel("vgan");
    const samples: { step: number; values: Float32Array }[] = [];
    const { state } = await train(model, await tinyData(), {
      steps: 4,
      batchSize: 2,
      seed: 1,
      sampleEvery: 2,
      sampleSize: 3,
      onSample: async (step, video) => {
        expect(video.shape).toEqual([3, 8, 16, 16, 1]);
        samples.push({ step, values: (await video.data()) as Float32Array });
        video.dispose();
      },
    });
    expect(samples.map((s) => s.step)).toEqual([0, 2, 4]);
    // Same latent each time: step 0's sample equals a fresh model's sample from the documented seed.
    const fresh = tinyModel("vgan");
    const latent = fresh.sampleLatent(3, stepSeed(1, 0, { kind: "sample" }));
    const expected = tf.tidy(() => fresh.generate(latent, { training: false }));
    expect(Array.from(samples[0].values)).toEqual(Array.from(await expected.data()));
    tf.dispose([expected, ...Object.values(latent)]);
    fresh.dispose();
    state.dispose();
    model.dispose();
  });

  it("keeps an EMA of the generator that lags the raw weights", async () => {
    const model = tinyModel("vgan");
    const { state } = await train(model, await tinyData(), { steps: 5, batchSize: 2, seed: 1, ema: 0.9 });
    const [name, shadow] = [...state.ema!.shadow][0];
    const raw = model.stateVars().get(name)!;
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(shadow, raw))).dataSync()[0]);
    expect(gap).toBeGreaterThan(0);
    state.dispose();
    model.dispose();
  });

  it("rejects a bad batch size before touching the model", async () => {
    const model = tinyModel("vgan");
    await expect(train(model, await tinyData(), { steps: 1, batchSize: 0, seed: 1 })).rejects.toThrow(/batchSize/);
    model.dispose();
  });
});
