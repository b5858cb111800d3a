// gan.fit: steps and minutes budgets, interrupt, checkpoint cadence, continuing the attached state, no leaks.
// (Its evaluation cadence is tested through the cell API in test/runner/fit-cell.test.ts, on the metric's shape.)
import { beforeAll, describe, expect, it } from "vitest";
import { attachedTrainState, fit, type FitOptions } from "@/lib/gan/fit";
import { decayFactor } from "@/lib/gan/train/schedule";
import { createTrainState } from "@/lib/gan/train/state";
import { numTensors, tinyData, tinyModel, useCpu } from "./train-helpers";

beforeAll(useCpu);

const BASE = { batchSize: 2, seed: 3, ema: { halfLifeImages: 100, rampUp: 0.05 } } satisfies Partial<FitOptions>;

describe("gan.fit", () => {
  it("runs to `steps`, reporting each, and a second call continues the state it left on the model", async () => {
    const data = await tinyData();
    const model = tinyModel("vgan");
    const seen: number[] = [];
    const first = await fit(model, data, { ...BASE, steps: 3, onStep: (m) => void seen.push(m.step) });
    expect(first).toMatchObject({ step: 3, stepsRun: 3, stoppedBy: "steps", aborted: false });
    expect(attachedTrainState(model)).toBe(first.state);
    const second = await fit(model, data, { ...BASE, steps: 5, onStep: (m) => void seen.push(m.step) });
    expect(second.state).toBe(first.state);
    expect(second).toMatchObject({ step: 5, stepsRun: 2 });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    first.state.dispose();
    model.dispose();
  }, 60_000);

  it("stops when the minutes budget is spent, after a whole step", async () => {
    const data = await tinyData();
    const model = tinyModel("vgan");
    const r = await fit(model, data, { ...BASE, minutes: 0.01, steps: 1_000_000 });
    expect(r.stoppedBy).toBe("minutes");
    expect(r.partialStep).toBe(false);
    expect(r.stepsRun).toBeGreaterThan(0);
    expect(r.trainSeconds).toBeGreaterThanOrEqual(0.6);
    r.state.dispose();
    model.dispose();
  }, 60_000);

  it("reports progress in seconds when only minutes are given, in steps otherwise", async () => {
    const data = await tinyData();
    const model = tinyModel("vgan");
    const units = new Set<string>();
    const totals = new Set<number>();
    const r = await fit(model, data, { ...BASE, minutes: 0.005, onProgress: (_, total, unit) => void (units.add(unit), totals.add(total)) });
    expect([...units]).toEqual(["seconds"]);
    expect([...totals]).toEqual([0.3]);
    units.clear();
    await fit(model, data, { ...BASE, steps: r.step + 1, onProgress: (_, __, unit) => void units.add(unit) });
    expect([...units]).toEqual(["steps"]);
    r.state.dispose();
    model.dispose();
  }, 60_000);

  it("stops at an interrupt, and still checkpoints the last whole step", async () => {
    const data = await tinyData();
    const model = tinyModel("vgan");
    const controller = new AbortController();
    const saved: number[] = [];
    const r = await fit(model, data, {
      ...BASE,
      steps: 50,
      signal: controller.signal,
      onStep: (m) => void (m.step === 3 && controller.abort()),
      onCheckpoint: (_, state) => void saved.push(state.step),
    });
    expect(r).toMatchObject({ step: 3, aborted: true, stoppedBy: "signal", partialStep: false });
    expect(saved).toEqual([3]);
    r.state.dispose();
    model.dispose();
  }, 60_000);

  it.each([
    [2, [2, 4, 5]],
    [undefined, [5]],
    [0, []],
  ])("checkpointEvery %s saves at steps %j", async (every, want) => {
    const data = await tinyData();
    const model = tinyModel("vgan");
    const saved: number[] = [];
    const r = await fit(model, data, { ...BASE, steps: 5, checkpointEvery: every, onCheckpoint: (_, s) => void saved.push(s.step) });
    expect(saved).toEqual(want);
    r.state.dispose();
    model.dispose();
  }, 60_000);

  it("emits samples on schedule and at the end, and frees them itself", async () => {
    const data = await tinyData();
    const model = tinyModel("mocogan");
    const at: number[] = [];
    const r = await fit(model, data, { ...BASE, steps: 5, sampleEvery: 2, sampleSize: 2, onSample: (s, v) => void at.push(s, v.shape[0]) });
    expect(at).toEqual([0, 2, 2, 2, 4, 2, 5, 2]);
    r.state.dispose();
    model.dispose();
  }, 60_000);

  it("decays both learning rates linearly to zero over the last share, then puts the base rates back", async () => {
    const data = await tinyData();
    const model = tinyModel("vgan");
    const state = createTrainState(model, { generator: { learningRate: 0.01 }, discriminator: { learningRate: 0.02 } });
    const rate = (network: "generator" | "discriminator") => (state.optimizers[network] as unknown as { learningRate: number }).learningRate;
    const seen: [number, number][] = [];
    // 8 steps decaying over the last half: full rate while progress ≤ 1/2, then (1 - progress) / 0.5. The steps end
    // long before the hour, so they set the progress.
    await fit(model, data, { ...BASE, state, steps: 8, minutes: 60, lrDecay: 0.5, onStep: () => void seen.push([rate("generator"), rate("discriminator")]) });
    // onStep runs before the schedule sets the next step's rate: entry i is the rate step i + 1 ran with.
    const g = seen.map(([gRate]) => gRate / 0.01);
    expect(g.slice(0, 5)).toEqual([1, 1, 1, 1, 1]);
    expect(g[5]).toBeCloseTo(0.75);
    expect(g[7]).toBeCloseTo(0.25);
    expect(seen[6][1] / 0.02).toBeCloseTo(0.5);
    expect([rate("generator"), rate("discriminator")]).toEqual([0.01, 0.02]);
    expect(decayFactor(1, 0.5)).toBe(0);
    expect(decayFactor(0.9, 0)).toBe(1);
    await expect(fit(model, data, { ...BASE, state, steps: 9, lrDecay: 2 })).rejects.toThrow(/lrDecay/);
    state.dispose();
    model.dispose();
  }, 60_000);

  it("warms MoCoGAN up as an image GAN for a share of the fit, then trains on clips; refuses models that cannot", async () => {
    const data = await tinyData();
    const model = tinyModel("mocogan");
    const lossKeys: string[][] = [];
    const r = await fit(model, data, {
      ...BASE,
      steps: 4,
      imageWarmup: 0.5,
      imageWarmupFrames: 2,
      onStep: (m) => void lossKeys.push(Object.keys(m).filter((k) => k.endsWith("Loss")).sort()),
    });
    // Steps 1 and 2 (progress 0 and 1/4 before them) judge frames only; from progress 1/2 on, clips too.
    expect(lossKeys[0]).toEqual(["d_imageLoss", "g_imageLoss"]);
    expect(lossKeys[1]).toEqual(["d_imageLoss", "g_imageLoss"]);
    expect(lossKeys[2]).toEqual(["d_imageLoss", "d_videoLoss", "g_imageLoss", "g_videoLoss"]);
    expect(lossKeys[3]).toEqual(lossKeys[2]);
    r.state.dispose();
    const vgan = tinyModel("vgan");
    await expect(fit(vgan, data, { ...BASE, steps: 1, imageWarmup: 0.5 })).rejects.toThrow(/image generator of its own/);
    model.dispose();
    vgan.dispose();
  }, 60_000);

  it("leaves no tensor behind: steady across steps, none after the state and model are freed", async () => {
    const data = await tinyData();
    const before = numTensors();
    const model = tinyModel("mocogan", 1, { imageFrames: 2, imageBatch: "own", dVideoHalfRes: true });
    const counts: number[] = [];
    const opts = { ...BASE, sampleEvery: 2, onSample: () => undefined, onStep: () => void counts.push(numTensors()), imageWarmup: 0.3, lrDecay: 0.5 };
    const r = await fit(model, data, { ...opts, steps: 3 });
    await fit(model, data, { ...opts, steps: 6 });
    expect(counts[5]).toBe(counts[1]);
    r.state.dispose();
    model.dispose();
    expect(numTensors()).toBe(before);
  }, 60_000);
});
