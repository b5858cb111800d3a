import { describe, expect, it } from "vitest";
import {
  appendPoints,
  columnsView,
  createCellMetrics,
  subscribeMetrics,
} from "@/components/notebook/outputs/cell-metrics";
import type { MetricPoint } from "@/lib/runner/protocol";

const pt = (key: string, step: number, value: number): MetricPoint => ({ key, step, value, time: 0 });
const view = (m: ReturnType<typeof createCellMetrics>, key: string) => {
  const { steps, values } = columnsView(m.series.get(key)!);
  return { steps: [...steps], values: [...values] };
};

describe("cell metrics", () => {
  it("keeps one columnar series per key, keys in first-seen order", () => {
    const m = createCellMetrics();
    appendPoints(m, [pt("g_loss", 0, 2), pt("d_loss", 0, 0.7), pt("g_loss", 1, 1.5)]);
    expect(m.order).toEqual(["g_loss", "d_loss"]);
    expect(view(m, "g_loss")).toEqual({ steps: [0, 1], values: [2, 1.5] });
    expect(view(m, "d_loss")).toEqual({ steps: [0], values: [0.7] });
    expect(m.total).toBe(3);
  });

  it("bumps the version once per batch that adds points, and not for an empty one", () => {
    const m = createCellMetrics();
    appendPoints(m, [pt("a", 0, 1), pt("a", 1, 2)]);
    expect(m.version).toBe(1);
    appendPoints(m, []);
    expect(m.version).toBe(1);
    appendPoints(m, [pt("a", 2, 3)]);
    expect(m.version).toBe(2);
  });

  it("tells subscribers once per batch until they unsubscribe", () => {
    const m = createCellMetrics();
    let calls = 0;
    const unsubscribe = subscribeMetrics(m, () => calls++);
    appendPoints(m, [pt("a", 0, 1), pt("b", 0, 1)]);
    unsubscribe();
    appendPoints(m, [pt("a", 1, 1)]);
    expect(calls).toBe(1);
  });

  it("stores NaN and ±Inf as NaN (a gap), counts them, and leaves them out of min and max", () => {
    const m = createCellMetrics();
    appendPoints(m, [pt("a", 0, 1), pt("a", 1, NaN), pt("a", 2, Infinity), pt("a", 3, -3), pt("a", 4, -Infinity)]);
    const s = m.series.get("a")!;
    expect(view(m, "a").values).toEqual([1, NaN, NaN, -3, NaN]);
    expect([s.nonFinite, s.min, s.max]).toEqual([3, -3, 1]);
    expect(s.last).toEqual({ step: 4, value: -Infinity });
  });

  it("sorts out-of-order points by step, within a batch and across batches", () => {
    const m = createCellMetrics();
    appendPoints(m, [pt("a", 0, 0), pt("a", 5, 5), pt("a", 2, 2), pt("a", 9, 9)]);
    expect(view(m, "a").steps).toEqual([0, 2, 5, 9]);
    appendPoints(m, [pt("a", 10, 10), pt("a", 1, 1), pt("a", 7, 7), pt("a", -1, -1)]);
    expect(view(m, "a")).toEqual({ steps: [-1, 0, 1, 2, 5, 7, 9, 10], values: [-1, 0, 1, 2, 5, 7, 9, 10] });
    expect(m.series.get("a")!.last).toEqual({ step: -1, value: -1 });
  });

  it("keeps points of equal steps in arrival order (a resumed run logs a step again)", () => {
    const m = createCellMetrics();
    appendPoints(m, [pt("a", 1, 10), pt("a", 2, 20), pt("a", 3, 30)]);
    appendPoints(m, [pt("a", 2, 21), pt("a", 1, 11), pt("a", 2, 22)]);
    expect(view(m, "a")).toEqual({ steps: [1, 1, 2, 2, 2, 3], values: [10, 11, 20, 21, 22, 30] });
  });

  it("takes 200k points in batches of 100, growing by doubling, faster than a chart needs", () => {
    const m = createCellMetrics();
    const n = 200_000;
    const started = performance.now();
    for (let b = 0; b < n / 100; b++) {
      const batch: MetricPoint[] = [];
      for (let i = b * 100; i < (b + 1) * 100; i++) {
        batch.push(pt("g_loss", i, Math.sin(i / 1000)), pt("d_loss", i, i % 5000 === 0 ? NaN : Math.cos(i)));
      }
      appendPoints(m, batch);
    }
    const ms = performance.now() - started;
    console.log(`200k steps × 2 keys appended in ${ms.toFixed(1)} ms`);
    const s = m.series.get("g_loss")!;
    expect(s.length).toBe(n);
    expect(s.steps.length).toBe(262_144); // 64 · 2^12: doubled, not grown point by point
    expect(m.series.get("d_loss")!.nonFinite).toBe(40);
    expect(m.total).toBe(2 * n);
    expect(m.version).toBe(n / 100);
    const { steps } = columnsView(s);
    expect(steps.every((x, i) => x === i)).toBe(true);
    expect(ms).toBeLessThan(2000);
  });

  it("merges a late out-of-order batch into 200k sorted points in one pass", () => {
    const m = createCellMetrics();
    const n = 200_000;
    appendPoints(m, Array.from({ length: n }, (_, i) => pt("a", 2 * i, i)));
    const late = Array.from({ length: 1000 }, (_, i) => pt("a", 2 * (999 - i) + 1, -i)); // odd steps, descending
    const started = performance.now();
    appendPoints(m, late);
    const ms = performance.now() - started;
    console.log(`1000 out-of-order points merged into 200k in ${ms.toFixed(1)} ms`);
    const { steps } = columnsView(m.series.get("a")!);
    expect(steps.length).toBe(n + 1000);
    expect(steps.every((x, i) => i === 0 || steps[i - 1] <= x)).toBe(true);
    expect([...steps.subarray(0, 4)]).toEqual([0, 1, 2, 3]);
    expect(ms).toBeLessThan(200);
  });
});
