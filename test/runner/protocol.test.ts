import { describe, expect, it } from "vitest";
import {
  assertNever,
  ERROR_MIME,
  errorOutput,
  isErrorOutput,
  type KernelCommand,
  type KernelEvent,
} from "@/lib/runner/protocol";

// One of each message. A new member of either union must be added here, or `describe` below does not compile.
const commands: KernelCommand[] = [
  { type: "init", backend: "webgpu", trackerUrl: "http://localhost:3000" },
  { type: "start-run", run: { experimentId: "e1", code: "1 + 1", name: "baseline", seed: 42 } },
  { type: "end-run", status: "failed", error: "boom" },
  { type: "run-cell", cellId: "c1", code: "1 + 1" },
  { type: "interrupt" },
  { type: "ping", id: 1 },
  { type: "restart" },
  { type: "delete-cell", cellId: "c1" },
  { type: "set-config", overrides: { steps: 10, model: "mocogan", nested: { a: [1, null] } } },
];

const events: KernelEvent[] = [
  { op: "status", status: "busy" },
  { op: "kernel-info", backend: "webgl", adapter: "Apple M2", fallbackReason: "no WebGPU adapter" },
  { op: "run-started", runId: "r1", name: "baseline" },
  { op: "config", hparams: { steps: 10, model: "mocogan", nested: { a: [1, null] } } },
  { op: "warning", message: "tracker unreachable" },
  { op: "cell-started", cellId: "c1", exec: 1, runId: "r1", time: 1 },
  { op: "output", cellId: "c1", exec: 1, output: { channel: "stdout", mime: "text/plain", data: "hi\n", time: 2 } },
  { op: "output", cellId: "c1", exec: 1, output: { channel: "display", mime: "video/mp4", data: new Uint8Array([0, 1, 2]), time: 3 } },
  { op: "output", cellId: "c1", exec: 1, output: errorOutput({ name: "TypeError", message: "x", line: 3, column: 7 }, 4) },
  { op: "progress", cellId: "c1", exec: 1, progress: { id: "p", done: 5, total: 10, rate: 2.5, eta: 2, label: "training" } },
  { op: "metric", cellId: "c1", exec: 1, points: [{ key: "loss_d", step: 0, value: 0.7, time: 5 }] },
  { op: "sample", cellId: "c1", exec: 1, key: "samples", step: 50, mime: "video/mp4", data: new Uint8Array([9]), time: 6 },
  { op: "checkpoint", cellId: "c1", exec: 1, runId: "r1", id: "k1", step: 50 },
  { op: "cell-finished", cellId: "c1", exec: 1, outcome: "error", elapsedMs: 12.5 },
  { op: "cell-skipped", cellId: "c2", reason: "error" },
  { op: "run-ended", runId: "r1", status: "failed" },
  { op: "kernel-replaced", reason: "the kernel stopped responding" },
  { op: "pong", id: 1 },
];

function describeCommand(c: KernelCommand): string {
  switch (c.type) {
    case "init":
      return `init ${c.backend ?? "default"}`;
    case "start-run":
      return `start ${c.run.experimentId}`;
    case "end-run":
      return `end ${c.status}`;
    case "run-cell":
      return `run ${c.cellId}`;
    case "interrupt":
    case "restart":
      return c.type;
    case "ping":
      return `ping ${c.id}`;
    case "delete-cell":
      return `delete ${c.cellId}`;
    case "set-config":
      return `config ${Object.keys(c.overrides).join(",")}`;
    default:
      return assertNever(c);
  }
}

function describeEvent(e: KernelEvent): string {
  switch (e.op) {
    case "status":
      return e.status;
    case "kernel-info":
      return e.backend;
    case "run-started":
    case "run-ended":
      return `${e.op} ${e.runId}`;
    case "config":
      return `config ${Object.keys(e.hparams).join(",")}`;
    case "warning":
      return e.message;
    case "kernel-replaced":
      return e.reason;
    case "pong":
      return `pong ${e.id}`;
    case "cell-started":
    case "output":
    case "progress":
    case "metric":
    case "sample":
    case "checkpoint":
    case "cell-finished":
      return `${e.op} ${e.cellId} #${e.exec}`;
    case "cell-skipped":
      return `skipped ${e.cellId} (${e.reason})`;
    default:
      return assertNever(e);
  }
}

describe("protocol", () => {
  it("has a handler for every message", () => {
    expect(commands.map(describeCommand)).toHaveLength(commands.length);
    expect(events.map(describeEvent)).toHaveLength(events.length);
  });

  it("survives structured clone, as postMessage sends it", () => {
    expect(structuredClone(commands)).toEqual(commands);
    expect(structuredClone(events)).toEqual(events);
  });

  it("carries an error as an output with its own mime and no undefined fields", () => {
    const out = errorOutput({ name: "Error", message: "boom", line: 3, column: undefined }, 7);
    expect(out).toEqual({ channel: "stderr", mime: ERROR_MIME, data: { name: "Error", message: "boom", line: 3 }, time: 7 });
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
    expect(isErrorOutput(out)).toBe(true);
    expect(isErrorOutput({ channel: "stdout", mime: "text/plain", data: "x", time: 0 })).toBe(false);
  });

  it("throws on a message no switch handled", () => {
    expect(() => assertNever({ op: "future" } as never)).toThrow(/unhandled message: {"op":"future"}/);
  });
});
