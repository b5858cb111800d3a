import { describe, expect, it } from "vitest";
import { addCells, batchEvent, startBatch, type RunBatch } from "@/lib/runner/run-batch";
import { errorOutput, type KernelEvent } from "@/lib/runner/protocol";

function feed(batch: RunBatch, events: KernelEvent[]) {
  let current: RunBatch | undefined = batch;
  let end;
  for (const e of events) {
    if (!current) throw new Error("event after the batch ended");
    ({ batch: current, end } = batchEvent(current, e));
  }
  return { batch: current, end };
}

const finished = (cellId: string, outcome: "ok" | "error" | "interrupted" = "ok"): KernelEvent =>
  ({ op: "cell-finished", cellId, exec: 1, outcome, elapsedMs: 1 });
const started: KernelEvent = { op: "run-started", runId: "r1", name: "run-1" };
const metric: KernelEvent = { op: "metric", cellId: "a", exec: 1, points: [{ key: "loss", step: 0, value: 1, time: 0 }] };

describe("run batches", () => {
  it("ends the run as finished when every cell has finished", () => {
    const b = addCells(startBatch(true), 2, true);
    const first = feed(b, [started, finished("a")]);
    expect(first.end).toBeUndefined();
    const { batch, end } = feed(b, [started, finished("a"), finished("b")]);
    expect(batch).toBeUndefined();
    expect(end).toEqual({ status: "finished" });
  });

  it("a failing cell fails the run, with its error; skipped cells still count down", () => {
    const b = addCells(startBatch(true), 3, true);
    const { end } = feed(b, [
      started,
      { op: "output", cellId: "a", exec: 1, output: errorOutput({ name: "RangeError", message: "bad shape" }, 0) },
      finished("a", "error"),
      { op: "cell-skipped", cellId: "b", reason: "error" },
      { op: "cell-skipped", cellId: "c", reason: "error" },
    ]);
    expect(end).toEqual({ status: "failed", error: "RangeError: bad shape" });
  });

  it("an interrupt ends the run as interrupted", () => {
    const { end } = feed(addCells(startBatch(false), 1, false), [started, metric, finished("a", "interrupted")]);
    expect(end).toEqual({ status: "interrupted" });
  });

  it("single cells that recorded nothing leave no run; Run all keeps its run", () => {
    expect(feed(addCells(startBatch(false), 1, false), [started, finished("a")]).end).toEqual({ status: "finished", discardRunId: "r1" });
    expect(feed(addCells(startBatch(false), 1, false), [started, metric, finished("a")]).end).toEqual({ status: "finished" });
    expect(feed(addCells(startBatch(true), 1, true), [started, finished("a")]).end).toEqual({ status: "finished" });
    const saved: KernelEvent = { op: "checkpoint", cellId: "a", exec: 1, runId: "r1", id: "k1", step: 3 };
    expect(feed(addCells(startBatch(false), 1, false), [started, saved, finished("a")]).end).toEqual({ status: "finished" });
  });

  it("cells added while the batch runs extend it; Run all added later keeps the run", () => {
    const b = addCells(addCells(startBatch(false), 1, false), 2, true);
    const { end, batch } = feed(b, [started, finished("a"), finished("b")]);
    expect(end).toBeUndefined();
    expect(batch?.outstanding).toBe(1);
    expect(feed(b, [started, finished("a"), finished("b"), finished("c")]).end).toEqual({ status: "finished" });
  });

  it("a replaced kernel closes the batch without an end of its own", () => {
    expect(feed(addCells(startBatch(true), 2, true), [started, { op: "kernel-replaced", reason: "x" }])).toEqual({ batch: undefined, end: undefined });
  });
});
