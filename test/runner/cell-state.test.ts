import { describe, expect, it } from "vitest";
import { initialCellRuntime, transitionCell, type CellEvent, type CellRuntime } from "@/lib/runner/cell-state";
import { errorOutput, type CellOutput } from "@/lib/runner/protocol";

const out = (data: string, time = 0): CellOutput => ({ channel: "stdout", mime: "text/plain", data, time });
const apply = (events: CellEvent[], from: CellRuntime = initialCellRuntime()) => events.reduce(transitionCell, from);

describe("transitionCell", () => {
  it("starts idle with nothing run", () => {
    expect(initialCellRuntime()).toEqual({ status: "idle", executionCount: 0, outputs: [], progress: {}, progressOrder: [] });
  });

  it("goes queued → running → idle and counts the run", () => {
    const queued = apply([{ op: "queued" }]);
    expect(queued.status).toBe("queued");
    const running = transitionCell(queued, { op: "cell-started", cellId: "c", exec: 1, time: 100 });
    expect(running).toMatchObject({ status: "running", executionCount: 1, startedAt: 100 });
    const done = transitionCell(running, { op: "cell-finished", cellId: "c", exec: 1, outcome: "ok", elapsedMs: 42 });
    expect(done).toMatchObject({ status: "idle", executionCount: 1, elapsedMs: 42 });
  });

  it("ends errored or interrupted as the run did", () => {
    const started: CellEvent = { op: "cell-started", cellId: "c", exec: 1, time: 0 };
    expect(apply([started, { op: "cell-finished", cellId: "c", exec: 1, outcome: "error", elapsedMs: 1 }]).status).toBe("errored");
    expect(apply([started, { op: "cell-finished", cellId: "c", exec: 1, outcome: "interrupted", elapsedMs: 1 }]).status).toBe("interrupted");
  });

  it("appends outputs, the error output among them, in order", () => {
    const err = errorOutput({ name: "Error", message: "boom", line: 2 }, 3);
    const s = apply([
      { op: "cell-started", cellId: "c", exec: 1, time: 0 },
      { op: "output", cellId: "c", exec: 1, output: out("a", 1) },
      { op: "output", cellId: "c", exec: 1, output: out("b", 2) },
      { op: "output", cellId: "c", exec: 1, output: err },
    ]);
    expect(s.outputs).toEqual([out("a", 1), out("b", 2), err]);
  });

  it("merges progress by id and keeps the order bars first appeared in", () => {
    const s = apply([
      { op: "cell-started", cellId: "c", exec: 1, time: 0 },
      { op: "progress", cellId: "c", exec: 1, progress: { id: "train", done: 1, total: 10 } },
      { op: "progress", cellId: "c", exec: 1, progress: { id: "eval", done: 0 } },
      { op: "progress", cellId: "c", exec: 1, progress: { id: "train", done: 5, total: 10, rate: 2, eta: 2.5 } },
    ]);
    expect(s.progressOrder).toEqual(["train", "eval"]);
    expect(s.progress.train).toEqual({ id: "train", done: 5, total: 10, rate: 2, eta: 2.5 });
  });

  it("clears outputs, progress and elapsed time when the cell runs again", () => {
    const first = apply([
      { op: "cell-started", cellId: "c", exec: 1, time: 0 },
      { op: "output", cellId: "c", exec: 1, output: out("old") },
      { op: "progress", cellId: "c", exec: 1, progress: { id: "p", done: 1 } },
      { op: "cell-finished", cellId: "c", exec: 1, outcome: "ok", elapsedMs: 5 },
    ]);
    const again = transitionCell(first, { op: "cell-started", cellId: "c", exec: 2, time: 10 });
    expect(again).toEqual({ status: "running", exec: 2, executionCount: 2, startedAt: 10, elapsedMs: undefined, runId: undefined, outputs: [], progress: {}, progressOrder: [] });
  });

  it("keeps outputs until the queued run actually starts", () => {
    const ran = apply([{ op: "cell-started", cellId: "c", exec: 1, time: 0 }, { op: "output", cellId: "c", exec: 1, output: out("x") }]);
    expect(transitionCell(ran, { op: "queued" }).outputs).toEqual([out("x")]);
  });

  it("ignores late events of an earlier run", () => {
    const s = apply([
      { op: "cell-started", cellId: "c", exec: 1, runId: "r1", time: 0 },
      { op: "cell-started", cellId: "c", exec: 2, runId: "r1", time: 1 },
    ]);
    expect(s).toMatchObject({ exec: 2, runId: "r1" });
    expect(transitionCell(s, { op: "output", cellId: "c", exec: 1, output: out("late") })).toBe(s);
    expect(transitionCell(s, { op: "progress", cellId: "c", exec: 1, progress: { id: "p", done: 1 } })).toBe(s);
    expect(transitionCell(s, { op: "cell-finished", cellId: "c", exec: 1, outcome: "ok", elapsedMs: 1 })).toBe(s);
    expect(transitionCell(s, { op: "output", cellId: "c", exec: 2, output: out("now") }).outputs).toEqual([out("now")]);
  });

  it("stays queued when a run it was queued behind finishes", () => {
    const s = apply([{ op: "cell-started", cellId: "c", exec: 1, time: 0 }, { op: "queued" }]);
    expect(transitionCell(s, { op: "cell-finished", cellId: "c", exec: 1, outcome: "ok", elapsedMs: 3 }).status).toBe("queued");
  });

  it("marks a running cell interrupted and a queued one idle when the kernel is lost", () => {
    expect(apply([{ op: "cell-started", cellId: "c", exec: 1, time: 0 }, { op: "kernel-lost" }]).status).toBe("interrupted");
    expect(apply([{ op: "queued" }, { op: "kernel-lost" }]).status).toBe("idle");
    const idle = initialCellRuntime();
    expect(transitionCell(idle, { op: "kernel-lost" })).toBe(idle);
  });

  it("returns a skipped queued cell to idle and leaves a running one alone", () => {
    expect(apply([{ op: "queued" }, { op: "cell-skipped", cellId: "c", reason: "error" }]).status).toBe("idle");
    const running = apply([{ op: "cell-started", cellId: "c", exec: 1, time: 0 }]);
    expect(transitionCell(running, { op: "cell-skipped", cellId: "c", reason: "interrupted" })).toBe(running);
  });

  it("leaves the state itself when an event does not concern it", () => {
    const s = initialCellRuntime();
    expect(transitionCell(s, { op: "metric", cellId: "c", exec: 1, points: [] })).toBe(s);
    expect(transitionCell(s, { op: "sample", cellId: "c", exec: 1, key: "k", step: 0, mime: "video/mp4", data: new Uint8Array(), time: 0 })).toBe(s);
  });

  it("does not change the state it was given", () => {
    const s = initialCellRuntime();
    const frozen = structuredClone(s);
    apply([{ op: "cell-started", cellId: "c", exec: 1, time: 0 }, { op: "output", cellId: "c", exec: 1, output: out("x") }], s);
    expect(s).toEqual(frozen);
  });
});
