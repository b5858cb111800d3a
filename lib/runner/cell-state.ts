// A cell's runtime state, kept apart from its saved part (NotebookCell): what the kernel did with it, changed only
// by the pure transitionCell, so the page's reducer and the tests share one definition of every status change.
import type { NotebookCell } from "./notebook";
import { assertNever, type CellKernelEvent, type CellOutput, type Progress } from "./protocol";

export type CellStatus = "idle" | "queued" | "running" | "errored" | "interrupted";

export interface CellRuntime {
  status: CellStatus;
  /** The kernel's number of the cell run the current outputs belong to. */
  exec?: number;
  /** The tracked run that run recorded into, if any. */
  runId?: string;
  /** How many times the cell has started since the page opened. */
  executionCount: number;
  /** Epoch milliseconds of the last start. */
  startedAt?: number;
  /** Set when the last run finished. */
  elapsedMs?: number;
  outputs: CellOutput[];
  /** Progress bars by id, in the order they first appeared. */
  progress: Record<string, Progress>;
  progressOrder: string[];
}

/** What the page renders: the saved cell and its runtime state. */
export interface CellView {
  cell: NotebookCell;
  runtime: CellRuntime;
}

export type CellEvent =
  | CellKernelEvent
  /** The page sent run-cell for this cell. */
  | { op: "queued" }
  /** The kernel died or restarted: a queued or running cell will get no more events. */
  | { op: "kernel-lost" };

export function initialCellRuntime(): CellRuntime {
  return { status: "idle", executionCount: 0, outputs: [], progress: {}, progressOrder: [] };
}

/** The state after an event. Returns `state` itself when nothing changed, so a renderer can skip the cell. */
export function transitionCell(state: CellRuntime, event: CellEvent): CellRuntime {
  switch (event.op) {
    case "queued":
      return { ...state, status: "queued" };
    case "kernel-lost":
      if (state.status === "running") return { ...state, status: "interrupted" };
      if (state.status === "queued") return { ...state, status: "idle" };
      return state;
    case "cell-started":
      // A new run starts clean: the last run's outputs and bars go.
      return {
        ...state,
        status: "running",
        exec: event.exec,
        runId: event.runId,
        executionCount: state.executionCount + 1,
        startedAt: event.time,
        elapsedMs: undefined,
        outputs: [],
        progress: {},
        progressOrder: [],
      };
    case "output":
      if (isStale(state, event.exec)) return state;
      return { ...state, outputs: [...state.outputs, event.output] };
    case "progress": {
      if (isStale(state, event.exec)) return state;
      const { id } = event.progress;
      const order = id in state.progress ? state.progressOrder : [...state.progressOrder, id];
      return { ...state, progress: { ...state.progress, [id]: event.progress }, progressOrder: order };
    }
    case "cell-finished": {
      if (isStale(state, event.exec)) return state;
      // Queued again while it ran: the next run is still to come, so it stays queued.
      const status = state.status === "queued" ? "queued" : finishedStatus[event.outcome];
      return { ...state, status, elapsedMs: event.elapsedMs };
    }
    case "cell-skipped":
      return state.status === "queued" ? { ...state, status: "idle" } : state;
    case "metric":
    case "sample":
    case "checkpoint":
      return state; // they belong to the run's charts, media and checkpoints, not to the cell
    default:
      return assertNever(event);
  }
}

const finishedStatus = { ok: "idle", error: "errored", interrupted: "interrupted" } as const;

/** An event from an earlier run (a late callback of an interrupted training loop) must not touch the new one. */
function isStale(state: CellRuntime, exec: number): boolean {
  return state.exec !== undefined && exec !== state.exec;
}
