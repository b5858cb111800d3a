import "../helpers/temp-db";
import { describe, expect, it } from "vitest";
import * as metrics from "@/app/api/runs/[id]/metrics/route";
import * as keys from "@/app/api/runs/[id]/metrics/keys/route";
import { SERIES_MIME, decodeSeries, encodeSeries } from "@/lib/tracker/series-wire";
import { bodyOf, call } from "./http";
import { newRun } from "./setup";

const post = (id: string, body: unknown, headers?: Record<string, string>) =>
  call(metrics.POST, "POST", `/api/runs/${id}/metrics`, { id }, { body, headers });
const get = (id: string, qs = "") => call(metrics.GET, "GET", `/api/runs/${id}/metrics${qs}`, { id });

describe("POST /api/runs/:id/metrics", () => {
  it("accepts a batch of points and reads them back as parallel arrays sorted by step", async () => {
    const id = await newRun();
    const points = [
      { key: "loss/d", step: 2, value: 0.7, time: 1002 },
      { key: "loss/d", step: 1, value: 0.9, time: 1001 },
      { key: "loss/g", step: 1, value: 1.5, time: 1001 },
    ];
    const res = await post(id, { batch: 0, points });
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toEqual({ accepted: 3, duplicate: false });
    const { series } = await bodyOf(await get(id));
    expect(series["loss/d"]).toEqual({ steps: [1, 2], values: [0.9, 0.7], times: [1001, 1002], total: 2 });
    expect(series["loss/g"]).toEqual({ steps: [1], values: [1.5], times: [1001], total: 1 });
  });

  it("treats a replayed batch number as a no-op and says so", async () => {
    const id = await newRun();
    const first = await post(id, { batch: 7, points: [{ key: "a", step: 1, value: 1 }] });
    const again = await post(id, { batch: 7, points: [{ key: "a", step: 2, value: 2 }, { key: "b", step: 1, value: 3 }] });
    expect(await bodyOf(first)).toEqual({ accepted: 1, duplicate: false });
    expect(await bodyOf(again)).toEqual({ accepted: 1, duplicate: true });
    const { series } = await bodyOf(await get(id));
    expect(Object.keys(series)).toEqual(["a"]);
    expect(series.a.steps).toEqual([1]);
  });

  it("records value null as NaN and returns it as null", async () => {
    const id = await newRun();
    await post(id, { batch: 0, points: [{ key: "loss", step: 1, value: 0.3 }, { key: "loss", step: 2, value: null }] });
    const { series } = await bodyOf(await get(id));
    expect(series.loss.values).toEqual([0.3, null]);
    const binary = decodeSeries(await (await get(id, "?format=binary")).arrayBuffer());
    expect(Number.isNaN(binary.get("loss")!.values[1])).toBe(true);
  });

  it("accepts the columnar form, defaulting times to the server clock", async () => {
    const id = await newRun();
    const before = Date.now();
    const res = await post(id, { batch: 0, series: { fvd: { steps: [100, 200], values: [512.5, null] } } });
    expect(await bodyOf(res)).toEqual({ accepted: 2, duplicate: false });
    const { series } = await bodyOf(await get(id, "?keys=fvd"));
    expect(series.fvd.values).toEqual([512.5, null]);
    expect(series.fvd.times[0]).toBeGreaterThanOrEqual(before);
  });

  it("accepts the binary form (Content-Type application/vnd.zoetrope.series)", async () => {
    const id = await newRun();
    const body = encodeSeries(
      [["loss", { steps: Float64Array.of(3, 1), values: Float64Array.of(0.25, NaN), times: Float64Array.of(30, 10) }]],
      { batch: 4 },
    );
    const res = await post(id, body, { "content-type": SERIES_MIME });
    expect(await bodyOf(res)).toEqual({ accepted: 2, duplicate: false });
    const { series } = await bodyOf(await get(id));
    expect(series.loss).toEqual({ steps: [1, 3], values: [null, 0.25], times: [10, 30], total: 2 });
    expect(await bodyOf(await post(id, body, { "content-type": SERIES_MIME }))).toEqual({ accepted: 2, duplicate: true });
  });

  it("answers 422 for a binary body that is cut short, mislabelled or has bad steps", async () => {
    const id = await newRun();
    const good = (steps: Float64Array, extra: Record<string, unknown> = { batch: 0 }) =>
      encodeSeries([["a", { steps, values: new Float64Array(steps.length), times: new Float64Array(steps.length) }]], extra);
    const bodies = [
      good(Float64Array.of(1, 2)).subarray(0, 40),
      new TextEncoder().encode('{"batch":0,"points":[]}'),
      good(Float64Array.of(1, -2)),
      good(Float64Array.of(0.5)),
      good(Float64Array.of(1), {}),
    ];
    for (const body of bodies) {
      const res = await post(id, body, { "content-type": SERIES_MIME });
      expect(res.status).toBe(422);
    }
    expect((await bodyOf(await get(id))).series).toEqual({});
  });

  it("refuses more than 10,000 points with 413 and writes nothing", async () => {
    const id = await newRun();
    const points = Array.from({ length: 10_001 }, (_, i) => ({ key: "a", step: i, value: i }));
    const res = await post(id, { batch: 0, points });
    expect(res.status).toBe(413);
    const ok = await post(id, { batch: 0, points: points.slice(0, 10_000) });
    expect(await bodyOf(ok)).toEqual({ accepted: 10_000, duplicate: false });
  });

  it("answers 422 naming the bad point, and stores none of the batch", async () => {
    const id = await newRun();
    const cases: unknown[] = [
      { batch: 0, points: [{ key: "a", step: 1, value: 1 }, { key: "a", step: -1, value: 1 }] },
      { batch: 0, points: [{ key: "a", step: 1.5, value: 1 }] },
      { batch: 0, points: [{ key: "a", step: 1, value: "1" }] },
      { batch: 0, points: [{ key: "", step: 1, value: 1 }] },
      { batch: 0, points: [{ key: "a,b", step: 1, value: 1 }] },
      { batch: 0, points: [{ key: "a", step: 1, value: 1, time: "now" }] },
      { batch: -1, points: [] },
      { batch: "1", points: [] },
      { points: [] },
      { batch: 0 },
      { batch: 0, points: {} },
      { batch: 0, series: { a: { steps: [1, 2], values: [1] } } },
      [1, 2],
    ];
    for (const body of cases) {
      const res = await post(id, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await bodyOf(res)).error.issues.length).toBeGreaterThan(0);
    }
    const bad = await bodyOf(await post(id, cases[0]));
    expect(bad.error.issues[0].path).toBe("points.1.step");
    expect((await bodyOf(await get(id))).series).toEqual({});
    // The rejected batch number is still free.
    expect(await bodyOf(await post(id, { batch: 0, points: [] }))).toEqual({ accepted: 0, duplicate: false });
  });

  it("answers 400 for malformed JSON and 404 for an unknown run", async () => {
    const id = await newRun();
    expect((await post(id, '{"batch": 0, "points": [')).status).toBe(400);
    const res = await post("nope", { batch: 0, points: [{ key: "a", step: 1, value: 1 }] });
    expect(res.status).toBe(404);
  });

  it("answers 413 from Content-Length before reading a huge body", async () => {
    const id = await newRun();
    const res = await post(id, "{}", { "content-length": String(100 * 1024 * 1024) });
    expect(res.status).toBe(413);
  });
});

describe("GET /api/runs/:id/metrics", () => {
  async function runWithSeries(n: number, batchSize = 1000) {
    const id = await newRun();
    for (let b = 0; b * batchSize < n; b++) {
      const steps = Array.from({ length: Math.min(batchSize, n - b * batchSize) }, (_, i) => b * batchSize + i);
      const values = steps.map((s) => (s === 4321 ? 1e6 : Math.sin(s / 100)));
      await post(id, { batch: b, series: { loss: { steps, values, times: steps } } });
    }
    return id;
  }

  it("merges batches that arrive out of order", async () => {
    const id = await newRun();
    await post(id, { batch: 1, series: { a: { steps: [3, 4], values: [3, 4] } } });
    await post(id, { batch: 0, series: { a: { steps: [1, 2], values: [1, 2] } } });
    await post(id, { batch: 2, series: { a: { steps: [2.0, 5], values: [22, 5] } } });
    const { series } = await bodyOf(await get(id));
    expect(series.a.steps).toEqual([1, 2, 2, 3, 4, 5]);
    expect(series.a.values).toEqual([1, 2, 22, 3, 4, 5]);
  });

  it("downsamples to maxPoints keeping spikes, and reports the stored total", async () => {
    const id = await runWithSeries(10_000);
    const { series } = await bodyOf(await get(id, "?keys=loss&maxPoints=500"));
    expect(series.loss.total).toBe(10_000);
    expect(series.loss.steps.length).toBeLessThanOrEqual(500);
    expect(series.loss.steps.length).toBeGreaterThan(400);
    expect(series.loss.values).toContain(1e6);
    const sorted = [...series.loss.steps].sort((a: number, b: number) => a - b);
    expect(series.loss.steps).toEqual(sorted);
  });

  it("limits to a step range with from/to", async () => {
    const id = await runWithSeries(3000);
    const { series } = await bodyOf(await get(id, "?from=1500&to=1509"));
    expect(series.loss.steps).toEqual(Array.from({ length: 10 }, (_, i) => 1500 + i));
    expect(series.loss.total).toBe(10);
  });

  it("returns the same data in the binary format", async () => {
    const id = await runWithSeries(2500);
    const json = (await bodyOf(await get(id))).series.loss;
    const res = await get(id, "?format=binary");
    expect(res.headers.get("content-type")).toBe("application/vnd.zoetrope.series");
    const bin = decodeSeries(await res.arrayBuffer()).get("loss")!;
    expect(Array.from(bin.steps)).toEqual(json.steps);
    expect(Array.from(bin.values)).toEqual(json.values);
    expect(Array.from(bin.times)).toEqual(json.times);
    expect(bin.total).toBe(2500);
    const negotiated = await call(metrics.GET, "GET", `/api/runs/${id}/metrics`, { id }, { headers: { accept: SERIES_MIME } });
    expect(negotiated.headers.get("content-type")).toBe(SERIES_MIME);
  });

  it("omits unknown keys and answers 422 for bad query values, 404 for an unknown run", async () => {
    const id = await runWithSeries(10);
    expect((await bodyOf(await get(id, "?keys=nope"))).series).toEqual({});
    expect((await get(id, "?maxPoints=abc")).status).toBe(422);
    expect((await get(id, "?maxPoints=1")).status).toBe(422);
    expect((await get(id, "?format=xml")).status).toBe(422);
    expect((await get("nope")).status).toBe(404);
  });
});

describe("GET /api/runs/:id/metrics/keys", () => {
  it("lists each key with its point count and step span", async () => {
    const id = await newRun();
    await post(id, { batch: 0, series: { b: { steps: [5, 9], values: [1, 2] }, a: { steps: [1], values: [1] } } });
    await post(id, { batch: 1, series: { b: { steps: [10], values: [3] } } });
    const res = await call(keys.GET, "GET", `/api/runs/${id}/metrics/keys`, { id });
    expect(await bodyOf(res)).toEqual({
      keys: [
        { key: "a", count: 1, firstStep: 1, lastStep: 1 },
        { key: "b", count: 3, firstStep: 5, lastStep: 10 },
      ],
    });
    expect((await call(keys.GET, "GET", "/x", { id: "nope" })).status).toBe(404);
  });
});
