// The messages between the notebook page and the kernel (a Worker). This is the only module both sides import:
// commands from the page are tagged by `type`, events from the kernel by `op`, and every handler's `switch` ends in
// assertNever, so a new message is a compile error wherever it is not handled yet.
// Everything here must survive structured clone (postMessage): plain objects, arrays, strings, numbers, typed arrays;
// no functions, no class instances, no Error objects (errors travel as CellErrorData).

/** JSON-compatible data. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

// ---- page → kernel ----

export type KernelCommand =
  /** The first command: pick the backend ("webgpu" falls back to webgl, wasm, cpu) and where runs are recorded. */
  | { type: "init"; backend?: BackendChoice; trackerUrl?: string }
  /**
   * Record what follows into a new tracked run (ending the current one as finished): "Run all", or the CLI. A server
   * kernel's manager ends the run itself, and removes it if it recorded nothing unless `wholeNotebook` is true.
   */
  | { type: "start-run"; run: RunRequest; wholeNotebook?: boolean }
  /** End the current tracked run. */
  | { type: "end-run"; status: RunEndStatus; error?: string }
  /** Run one cell's source. Commands queue: a cell starts when the one before it has finished. */
  | { type: "run-cell"; cellId: string; code: string }
  /** Stop the running cell at its next await or step (the kernel cannot stop a synchronous loop). */
  | { type: "interrupt" }
  /** Answered at once by `pong` while the worker's event loop is free: a cell stuck in synchronous code cannot. */
  | { type: "ping"; id: number }
  /** Throw away every binding (the page goes further and replaces the whole worker). */
  | { type: "restart" }
  /** Remove the names a deleted cell declared, so later cells no longer see them. */
  | { type: "delete-cell"; cellId: string }
  /** Overrides for `config(…)` in later runs ("Rerun with…", `--set key=value`). */
  | { type: "set-config"; overrides: Record<string, JsonValue> };

export type BackendChoice = "webgpu" | "webgl" | "native" | "wasm" | "cpu";

export type RunEndStatus = "finished" | "failed" | "interrupted";

/** What a tracked run starts with. The hyperparameters come later, from the cells' `config(…)` calls. */
export interface RunRequest {
  experimentId: string;
  /** The whole notebook's text at the start of the run. */
  code: string;
  name?: string;
  seed?: number;
  /** Set when a sweep's worker runs this notebook as one of the sweep's jobs. */
  sweep?: SweepLink;
}

/** Which queued sweep a run belongs to: the sweep, the job (the combination's index in its grid) and the attempt (1…). */
export interface SweepLink {
  sweepId: string;
  sweepJob: number;
  attempt: number;
}

// ---- kernel → page ----

export type KernelStatus = "starting" | "idle" | "busy" | "dead";

/** Where an output came from: the cell's console, or something it showed. */
export type OutputChannel = "stdout" | "stderr" | "display";

/** Video and images arrive as bytes, text as a string, tables and plot specs as JSON, errors as CellErrorData. */
export type OutputData = string | Uint8Array | JsonValue | CellErrorData;

/** One output of a cell. An error is an output too, with ERROR_MIME and CellErrorData as its data. */
export interface CellOutput {
  channel: OutputChannel;
  mime: string;
  data: OutputData;
  /** Epoch milliseconds. */
  time: number;
}

export const ERROR_MIME = "application/vnd.zoetrope.error+json";

/** An error as data. Line and column are 1-based and point into the cell's own source; absent when unknown. */
export interface CellErrorData {
  name: string;
  message: string;
  line?: number;
  column?: number;
  stack?: string;
}

export interface ErrorOutput extends CellOutput {
  channel: "stderr";
  mime: typeof ERROR_MIME;
  data: CellErrorData;
}

export function errorOutput(error: CellErrorData, time: number): ErrorOutput {
  // Copy only defined fields: the data must stay JSON (no undefined) for the page and the tracker.
  const data: CellErrorData = { name: error.name, message: error.message };
  if (error.line !== undefined) data.line = error.line;
  if (error.column !== undefined) data.column = error.column;
  if (error.stack !== undefined) data.stack = error.stack;
  return { channel: "stderr", mime: ERROR_MIME, data, time };
}

export function isErrorOutput(output: CellOutput): output is ErrorOutput {
  return output.mime === ERROR_MIME;
}

/** A progress bar; a later message with the same id replaces the earlier one. */
export interface Progress {
  id: string;
  done: number;
  /** Absent while the total is unknown. */
  total?: number;
  /** Steps per second. */
  rate?: number;
  /** Seconds left. */
  eta?: number;
  label?: string;
}

/** One metric point, as the tracker stores it. */
export interface MetricPoint {
  key: string;
  step: number;
  value: number;
  /** Epoch milliseconds. */
  time: number;
}

/** How a run of a cell ended. */
export type CellOutcome = "ok" | "error" | "interrupted";

export type KernelEvent =
  | { op: "status"; status: KernelStatus }
  | { op: "kernel-info"; backend: string; adapter?: string; fallbackReason?: string }
  | { op: "run-started"; runId: string; name: string }
  | { op: "run-ended"; runId: string; status: RunEndStatus }
  /** The hyperparameters so far: every `config(…)` merged, overrides applied. */
  | { op: "config"; hparams: Record<string, JsonValue> }
  /** Something the user should know that belongs to no cell: the tracker is unreachable, points were dropped. */
  | { op: "warning"; message: string }
  /** The page's own event after it replaced a stuck or dead worker: every binding is gone. */
  | { op: "kernel-replaced"; reason: string }
  | { op: "pong"; id: number }
  // Cell events carry `exec`, the kernel's count of cell runs: a late callback of an interrupted run cannot be
  // mistaken for the cell's next run. `runId` is the tracked run the cell recorded into, if any.
  | { op: "cell-started"; cellId: string; exec: number; runId?: string; time: number }
  | { op: "output"; cellId: string; exec: number; output: CellOutput }
  | { op: "progress"; cellId: string; exec: number; progress: Progress }
  /** Points are batched: a training loop logs far more often than the page should receive messages. */
  | { op: "metric"; cellId: string; exec: number; points: MetricPoint[] }
  /** A generated video or image, stored with the run at `step`. */
  | {
      op: "sample";
      cellId: string;
      exec: number;
      /** The run's media key ("samples"). */
      key: string;
      step: number;
      mime: string;
      data: Uint8Array;
      time: number;
    }
  /** A checkpoint the cell stored with the run. */
  | { op: "checkpoint"; cellId: string; exec: number; runId: string; id: string; step: number }
  | { op: "cell-finished"; cellId: string; exec: number; outcome: CellOutcome; elapsedMs: number }
  /** A queued cell that will not run: a cell before it failed or was interrupted (as in Jupyter's "Run all"). */
  | { op: "cell-skipped"; cellId: string; reason: "error" | "interrupted" };

/** The events that concern one cell. */
export type CellKernelEvent = Extract<KernelEvent, { cellId: string }>;

/** Ends every switch over a message union: adding a member makes each unhandled switch a compile error. */
export function assertNever(value: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(value)}`);
}
