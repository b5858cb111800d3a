// gan.fit: steps and minutes budgets, interrupt, checkpoint cadence, continuing the attached state, no leaks.
// (Its evaluation cadence is tested through the cell API in test/runner/fit-cell.test.ts, on the metric's shape.)
import { beforeAll, describe, expect, it } from "vitest";
import { attachedTrainState, fit, type FitOptions } from "@/lib/gan/fit";
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

  it("leaves no tensor behind: steady across steps, none after the state and model are freed", async () => {
    const data = await tinyData();
    const before = numTensors();
    const model = tinyModel("mocogan", 1, { imageFrames: 2, imageBatch: "own", dVideoHalfRes: true });
    const counts: number[] = [];
    const opts = { ...BASE, sampleEvery: 2, onSample: () => undefined, onStep: () => void counts.push(numTensors()) };
    const r = await fit(model, data, { ...opts, steps: 3 });
    await fit(model, data, { ...opts, steps: 6 });
    expect(counts[5]).toBe(counts[1]);
    r.state.dispose();
    model.dispose();
    expect(numTensors()).toBe(before);
  }, 60_000);
});
