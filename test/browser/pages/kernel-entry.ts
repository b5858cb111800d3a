// Browser side of kernel-worker.test.ts: a KernelClient on the real kernel worker (bundled by the test and served at
// /worker/kernel-worker.js), driven one cell at a time by page.evaluate. Results come back as plain summaries:
// bytes as their first characters and length, so nothing depends on how typed arrays cross page.evaluate.
import { KernelClient } from "../../../lib/runner/kernel-client";
import type { BackendChoice, CellErrorData, CellOutcome, KernelEvent, MetricPoint } from "../../../lib/runner/protocol";

export interface OutputSummary {
  channel: string;
  mime: string;
  text?: string;
  /** Uint8Array data: its first 4 bytes as characters, and its length. */
  magic?: string;
  bytes?: number;
  error?: CellErrorData;
}

export interface CellRun {
  outputs: OutputSummary[];
  metrics: MetricPoint[];
  /** Absent when the cell never finished: it was skipped, or its kernel was replaced. */
  outcome?: CellOutcome;
  skipped?: string;
  replaced?: string;
}

export interface KernelHarness {
  start(backend: BackendChoice, interruptGraceMs: number): Promise<Extract<KernelEvent, { op: "kernel-info" }>>;
  run(cellId: string, code: string): Promise<CellRun>;
  /** Runs a cell, interrupts it `afterMs` after it started, and times the interrupt until the cell's end. */
  runAndInterrupt(cellId: string, code: string, afterMs: number): Promise<{ run: CellRun; latencyMs: number; readyMs?: number }>;
  /** Every event so far, summarised: for failure messages and counts. */
  log(): string[];
}

type Listener = (e: KernelEvent) => void;
const listeners = new Set<Listener>();
const log: string[] = [];
let client: KernelClient | undefined;

function summarize(e: KernelEvent): string {
  if (e.op === "output") return `output ${e.cellId}#${e.exec} ${e.output.mime} ${typeof e.output.data === "string" ? e.output.data.trim() : ""}`;
  if (e.op === "sample") return `sample ${e.cellId} ${e.data.length} bytes`;
  return JSON.stringify(e);
}

function output(e: Extract<KernelEvent, { op: "output" }>): OutputSummary {
  const { channel, mime, data } = e.output;
  if (typeof data === "string") return { channel, mime, text: data };
  if (data instanceof Uint8Array) return { channel, mime, magic: String.fromCharCode(...data.slice(0, 4)), bytes: data.length };
  if (mime === "application/vnd.zoetrope.error+json") return { channel, mime, error: data as CellErrorData };
  return { channel, mime, text: JSON.stringify(data) };
}

/** Resolves with the first event `match` accepts (from now on). */
function next(match: (e: KernelEvent) => boolean): Promise<KernelEvent> {
  return new Promise((resolve) => {
    const l: Listener = (e) => {
      if (!match(e)) return;
      listeners.delete(l);
      resolve(e);
    };
    listeners.add(l);
  });
}

/** Collects the events of the next run of `cellId` until it ends (finished, skipped or its kernel replaced). */
function collect(cellId: string): { started: Promise<void>; done: Promise<CellRun> } {
  const run: CellRun = { outputs: [], metrics: [] };
  let exec: number | undefined;
  let started!: () => void;
  const startedP = new Promise<void>((r) => (started = r));
  const done = new Promise<CellRun>((resolve) => {
    const l: Listener = (e) => {
      const end = () => {
        listeners.delete(l);
        resolve(run);
      };
      if (e.op === "kernel-replaced") {
        run.replaced = e.reason;
        return end();
      }
      if (!("cellId" in e) || e.cellId !== cellId) return;
      if (e.op === "cell-skipped") {
        run.skipped = e.reason;
        return end();
      }
      if (e.op === "cell-started" && exec === undefined) {
        exec = e.exec;
        started();
      }
      if (!("exec" in e) || e.exec !== exec) return;
      if (e.op === "output") run.outputs.push(output(e));
      if (e.op === "metric") run.metrics.push(...e.points);
      if (e.op === "cell-finished") {
        run.outcome = e.outcome;
        end();
      }
    };
    listeners.add(l);
  });
  return { started: startedP, done };
}

const harness: KernelHarness = {
  async start(backend, interruptGraceMs) {
    const info = next((e) => e.op === "kernel-info") as Promise<Extract<KernelEvent, { op: "kernel-info" }>>;
    const idle = next((e) => e.op === "status" && e.status === "idle");
    client = new KernelClient({
      createWorker: () => new Worker("/worker/kernel-worker.js", { type: "module", name: "kernel" }),
      backend,
      interruptGraceMs,
      onEvent: (e) => {
        log.push(summarize(e));
        for (const l of [...listeners]) l(e);
      },
    });
    await idle;
    return info;
  },

  run(cellId, code) {
    const { done } = collect(cellId);
    client!.send({ type: "run-cell", cellId, code });
    return done;
  },

  async runAndInterrupt(cellId, code, afterMs) {
    const { started, done } = collect(cellId);
    client!.send({ type: "run-cell", cellId, code });
    await started;
    await new Promise((r) => setTimeout(r, afterMs));
    const t0 = performance.now();
    const idleAgain = next((e) => e.op === "status" && e.status === "idle");
    client!.interrupt();
    const run = await done;
    const latencyMs = performance.now() - t0;
    // After a replacement, the fresh kernel's first idle says it is ready.
    const readyMs = run.replaced === undefined ? undefined : (await idleAgain, performance.now() - t0);
    return { run, latencyMs, readyMs };
  },

  log: () => [...log],
};

(globalThis as Record<string, unknown>).kernelHarness = harness;
