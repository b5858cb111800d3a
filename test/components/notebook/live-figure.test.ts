import { describe, expect, it } from "vitest";
import { appendPoints, createCellMetrics } from "@/components/notebook/outputs/cell-metrics";
import { assignPanels, buildLivePanels, BUCKETS, lowerBound, samePanels, thin } from "@/components/notebook/outputs/live-figure";
import type { MetricPoint } from "@/lib/runner/protocol";

const pt = (key: string, step: number, value: number): MetricPoint => ({ key, step, value, time: 0 });
const series = (n: number, f: (i: number) => number) => ({
  steps: Float64Array.from({ length: n }, (_, i) => i),
  values: Float64Array.from({ length: n }, (_, i) => f(i)),
});

describe("thinning", () => {
  it("returns the points themselves (views, no copy) when there are few", () => {
    const { steps, values } = series(100, (i) => i);
    const t = thin(steps, values, 10, 50, 100);
    expect(t.steps.buffer).toBe(steps.buffer);
    expect([...t.steps]).toEqual([...steps.subarray(10, 50)]);
  });

  it("keeps at most ~3 points a bucket, in step order, with every spike", () => {
    const { steps, values } = series(200_000, (i) => (i === 123_457 ? 50 : i === 77_001 ? -50 : Math.sin(i / 5000)));
    const t = thin(steps, values, 0, steps.length, BUCKETS);
    expect(t.steps.length).toBeLessThanOrEqual(3 * BUCKETS + 3);
    expect(t.steps.length).toBeGreaterThan(BUCKETS);
    expect(t.steps.every((x, i) => i === 0 || t.steps[i - 1] < x)).toBe(true);
    expect(Math.max(...t.values)).toBe(50);
    expect(Math.min(...t.values)).toBe(-50);
    expect(t.steps[0]).toBe(0);
    expect(t.steps[t.steps.length - 1]).toBe(199_999);
  });

  it("keeps a NaN so that a gap stays a gap", () => {
    const { steps, values } = series(100_000, (i) => (i === 50_000 ? NaN : 1));
    const t = thin(steps, values, 0, steps.length, BUCKETS);
    expect(t.values.filter(Number.isNaN).length).toBe(1);
  });

  it("thins 200k points in a few milliseconds", () => {
    const { steps, values } = series(200_000, Math.sin);
    const started = performance.now();
    for (let k = 0; k < 10; k++) thin(steps, values, 0, steps.length, BUCKETS);
    const ms = (performance.now() - started) / 10;
    console.log(`thin 200k → ≤${3 * BUCKETS} points: ${ms.toFixed(2)} ms`);
    expect(ms).toBeLessThan(50);
  });

  it("finds the first step at or after x", () => {
    const steps = Float64Array.of(0, 2, 2, 5, 9);
    expect([-1, 0, 1, 2, 3, 9, 10].map((x) => lowerBound(steps, 5, x))).toEqual([0, 0, 1, 1, 3, 4, 5]);
  });
});

describe("panels", () => {
  it("puts keys of similar size together and others apart, in first-seen order", () => {
    const m = createCellMetrics();
    appendPoints(m, [pt("d_loss", 0, 0.7), pt("g_loss", 0, 3.2), pt("grad_norm", 0, 140), pt("lr", 0, 2e-4), pt("step_ms", 0, 95)]);
    expect(assignPanels(m)).toEqual([["d_loss", "g_loss"], ["grad_norm", "step_ms"], ["lr"]]);
  });

  it("aligns each panel's keys on the union of their steps: null is a logged gap, undefined a step not kept", () => {
    const m = createCellMetrics();
    appendPoints(m, [pt("d_loss", 0, 0.7), pt("g_loss", 0, 3), pt("lr", 0, 1e-4), pt("lr", 1, NaN), pt("g_loss", 2, 2.5)]);
    const { panels, points } = buildLivePanels(m, null);
    expect(panels.map((p) => p.keys)).toEqual([["d_loss", "g_loss"], ["lr"]]);
    expect(panels[0].data).toEqual([[0, 2], [0.7, undefined], [3, 2.5]]);
    expect(panels[1].data).toEqual([[0, 1], [1e-4, null]]);
    expect(points).toBe(5);
    // Colours follow first-seen order across panels.
    expect(panels[1].colors[0]).not.toBe(panels[0].colors[0]);
    expect(samePanels(panels, buildLivePanels(m, null).panels)).toBe(true);
    appendPoints(m, [pt("lr", 3, 1)]); // lr now reaches the losses' decade: it joins their panel
    expect(samePanels(panels, buildLivePanels(m, null).panels)).toBe(false);
  });

  it("draws at most a few thousand points per key however many were logged", () => {
    const m = createCellMetrics();
    appendPoints(m, Array.from({ length: 150_000 }, (_, i) => pt("loss", i, Math.random())));
    const whole = buildLivePanels(m, null);
    expect(whole.points).toBeLessThanOrEqual(3 * BUCKETS + 3);
    const zoomed = buildLivePanels(m, [1000, 1400]);
    const x = zoomed.panels[0].data[0];
    // Every point of the window is there (401 ≤ 2·BUCKETS), plus a coarse line around it.
    expect(x.filter((s) => s >= 1000 && s <= 1400).length).toBe(401);
    expect(x.every((s, i) => i === 0 || x[i - 1] < s)).toBe(true);
  });
});

describe("panel sizes", () => {
  it("judges a key by its typical value, so an early spike does not move it beside gradient norms", () => {
    const m = createCellMetrics();
    appendPoints(m, [pt("d_loss", 0, 9), pt("grad_norm", 0, 60)]);
    appendPoints(m, Array.from({ length: 500 }, (_, i) => [pt("d_loss", i + 1, 0.5 + 0.1 * Math.sin(i)), pt("grad_norm", i + 1, 40)]).flat());
    expect(assignPanels(m)).toEqual([["d_loss"], ["grad_norm"]]);
  });
});
