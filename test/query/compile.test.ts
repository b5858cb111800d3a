import { describe, expect, it } from "vitest";
import { QueryError, compileQuery, parseQuery, evaluate, type QueryableRun } from "@/lib/query";

const run = (over: Partial<QueryableRun> = {}): QueryableRun => ({
  id: "r1",
  experimentId: "e1",
  name: "MoCoGAN baseline",
  status: "finished",
  hparams: { model: "mocogan", lr: 2e-4, ema: true, g: { channels: [64, 32], "z.dim": 10 }, "batch size": 16, note: null },
  seed: 7,
  backend: "webgpu",
  durationMs: 90_500,
  startedAt: "2026-11-20T10:00:00.000Z",
  endedAt: "2026-11-20T10:01:30.500Z",
  lastMetrics: { loss_d: { value: 0.6 }, "loss/g": { value: 1.4 }, fvd: { value: null }, "eval.fvd": { value: 300 } },
  ...over,
});

const matches = (q: string, r = run()) => compileQuery(q)(r);

describe("compileQuery", () => {
  it("filters the issue's example", () => {
    const q = 'params.model = "mocogan" and metrics.loss_d < 0.7 and status = "finished"';
    expect(matches(q)).toBe(true);
    expect(matches(q, run({ status: "failed" }))).toBe(false);
    expect(matches(q, run({ lastMetrics: { loss_d: { value: 0.8 } } }))).toBe(false);
  });

  it("finds a queued sweep's runs by the sweep's id", () => {
    expect(matches('sweep = "sw1"', run({ sweep: { id: "sw1" } }))).toBe(true);
    expect(matches('sweep = "sw1"', run({ sweep: { id: "sw2" } }))).toBe(false);
    expect(matches('sweep = "sw1"')).toBe(false);
  });

  it("applies each operator to numbers", () => {
    const results = ["=", "!=", "<", "<=", ">", ">="].map((op) => [6, 7, 8].map((n) => matches(`seed ${op} ${n}`)));
    expect(results).toEqual([
      [false, true, false],
      [true, false, true],
      [false, false, true],
      [false, true, true],
      [true, false, false],
      [true, true, false],
    ]);
  });

  it("~ is a case-insensitive contains on text, false on other types", () => {
    expect(matches('name ~ "baseline"')).toBe(true);
    expect(matches('name ~ "MOCOgan"')).toBe(true);
    expect(matches('name ~ "tgan"')).toBe(false);
    expect(matches('params.lr ~ "2"')).toBe(false);
    expect(matches('params.model ~ "coga"')).toBe(true);
  });

  it("orders text by code unit: ISO dates compare as dates", () => {
    expect(matches('started > "2026-11-19"')).toBe(true);
    expect(matches('started >= "2026-11-21"')).toBe(false);
    expect(matches('started ~ "2026-11-20"')).toBe(true);
    expect(matches('ended < "2026-11-20T10:02"')).toBe(true);
    expect(matches('name < "N"')).toBe(true);
  });

  it("reads every field kind", () => {
    expect(matches('id = "r1" and experiment = "e1" and backend = "webgpu" and seed = 7')).toBe(true);
    expect(matches("duration > 90 and duration < 91")).toBe(true);
    expect(matches("params.g.channels.0 = 64 and params.g.channels.1 = 32")).toBe(true);
    expect(matches('params."batch size" = 16 and params.`batch size` = 16')).toBe(true);
    expect(matches("params.g.z.dim = 10")).toBe(true); // a flat key holding a dot
    expect(matches("params.ema = true and params.ema != false")).toBe(true);
    expect(matches('metrics."loss/g" > 1 and metrics.loss/g > 1 and metrics.eval.fvd = 300')).toBe(true);
  });

  it("a missing param or metric matches only = null", () => {
    for (const q of ["params.beta = 1", "params.beta != 1", "params.beta < 1", 'params.beta ~ "x"', "metrics.is != 1"]) {
      expect(matches(q), q).toBe(false);
    }
    expect(matches("params.beta = null")).toBe(true);
    expect(matches("params.beta != null")).toBe(false);
    expect(matches("params.lr != null")).toBe(true);
  });

  it("null matches stored nulls: a diverged metric, a run without backend, a null param", () => {
    expect(matches("metrics.fvd = null")).toBe(true);
    expect(matches("metrics.fvd < 1000")).toBe(false);
    expect(matches("metrics.fvd != null")).toBe(false);
    expect(matches("backend = null", run({ backend: null }))).toBe(true);
    expect(matches("params.note = null and params.note != 1")).toBe(false);
  });

  it("compares by type: a number is not the text of it", () => {
    expect(matches('params.lr = "0.0002"')).toBe(false);
    expect(matches('params.lr != "0.0002"')).toBe(true);
    expect(matches('params.lr < "1"')).toBe(false);
    expect(matches('params.model > 1')).toBe(false);
    expect(matches("params.ema > false")).toBe(false);
    expect(matches("params.g = 1")).toBe(false); // objects equal nothing
  });

  it("combines with and, or, not and parentheses", () => {
    expect(matches('status = "failed" or seed = 7')).toBe(true);
    expect(matches('status = "failed" or seed = 7 and backend = "wasm"')).toBe(false);
    expect(matches('(status = "failed" or seed = 7) and not backend = "wasm"')).toBe(true);
    expect(matches('not (status = "finished")')).toBe(false);
  });

  it("matches everything for blank text and throws QueryError for a bad query", () => {
    expect(matches("")).toBe(true);
    expect(() => compileQuery("seed <")).toThrow(QueryError);
  });

  it("agrees with De Morgan on random runs (property)", () => {
    const a = parseQuery("seed > 3")!;
    const b = parseQuery('metrics.loss_d < 0.5 or backend = "wasm"')!;
    for (let i = 0; i < 200; i++) {
      const r = run({
        seed: i % 9,
        backend: i % 3 ? "webgpu" : "wasm",
        lastMetrics: i % 5 ? { loss_d: { value: (i % 10) / 10 } } : {},
      });
      const notAnd = evaluate({ kind: "not", operand: { kind: "and", left: a, right: b } }, r);
      const orNots = evaluate({ kind: "or", left: { kind: "not", operand: a }, right: { kind: "not", operand: b } }, r);
      expect(notAnd).toBe(orNots);
    }
  });
});
