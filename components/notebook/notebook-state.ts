// The notebook page's state: the saved cells (what autosave writes), each cell's runtime state (what the kernel did
// with it), the selection and mode (Jupyter's command/edit), the kernel's status and the undo stack of deleted
// cells. Changed only by the pure notebookReducer, so every edit and kernel event is testable without a browser.
import { createCell, parseNotebook, serializeNotebook, type CellKind, type NotebookCell } from "@/lib/runner/notebook";
import { RESTART_REASON } from "@/lib/runner/kernel-client";
import { initialCellRuntime, transitionCell, type CellEvent, type CellRuntime } from "@/lib/runner/cell-state";
import { assertNever, type JsonValue, type KernelEvent, type KernelStatus } from "@/lib/runner/protocol";
import type { CellSample } from "./outputs/samples";

export type { CellSample };

export interface KernelView {
  status: KernelStatus;
  backend?: string;
  adapter?: string;
  fallbackReason?: string;
}

export interface NotebookState {
  cells: NotebookCell[];
  runtime: Record<string, CellRuntime>;
  /** Samples of each cell's latest run. */
  samples: Record<string, CellSample[]>;
  selectedId: string;
  /** "edit": the selected cell's editor has the keys; "command": the page has them (A, B, D D…). */
  mode: "command" | "edit";
  /** Deleted cells, last first: Z puts the last back where it was. */
  deleted: { cell: NotebookCell; index: number }[];
  kernel: KernelView;
  /** The tracked run the kernel is recording into. */
  run?: { id: string; name: string };
  hparams: Record<string, JsonValue>;
  /** Messages that belong to no cell, newest last. */
  warnings: { id: number; message: string }[];
  /** Bumped by every change of the saved text: the autosave watches it. */
  textVersion: number;
}

export type NotebookAction =
  | { type: "edit"; id: string; source: string }
  | { type: "insert"; where: "above" | "below"; kind?: CellKind }
  | { type: "delete"; id: string }
  | { type: "undo-delete" }
  | { type: "move"; id: string; by: -1 | 1 }
  | { type: "set-kind"; id: string; kind: CellKind }
  | { type: "select"; id: string; mode?: "command" | "edit" }
  | { type: "select-next"; by: -1 | 1; mode?: "command" | "edit" }
  | { type: "mode"; mode: "command" | "edit" }
  /** Replaces the whole notebook (a file from disk, another tab's text, a run's code); outputs go. */
  | { type: "load"; text: string }
  | { type: "clear-outputs"; id?: string }
  | { type: "queued"; ids: string[] }
  | { type: "kernel"; event: KernelEvent }
  | { type: "dismiss-warning"; id: number };

export function initialNotebookState(text: string): NotebookState {
  const cells = parseNotebook(text).cells;
  return {
    cells,
    runtime: Object.fromEntries(cells.map((c) => [c.id, initialCellRuntime()])),
    samples: {},
    selectedId: cells[0].id,
    mode: "command",
    deleted: [],
    kernel: { status: "starting" },
    hparams: {},
    warnings: [],
    textVersion: 0,
  };
}

/** The notebook's text as saved and downloaded. */
export function notebookText(state: Pick<NotebookState, "cells">): string {
  return serializeNotebook({ cells: state.cells });
}

/** The sources of the code cells above `id`: their top-level names are in scope in it. */
export function codeBefore(cells: readonly NotebookCell[], id: string): string[] {
  const index = cells.findIndex((c) => c.id === id);
  return cells.slice(0, Math.max(index, 0)).filter((c) => c.kind === "code").map((c) => c.source);
}

const MAX_WARNINGS = 5;


export function notebookReducer(state: NotebookState, action: NotebookAction): NotebookState {
  switch (action.type) {
    case "edit":
      return editCells(state, state.cells.map((c) => (c.id === action.id ? { ...c, source: action.source } : c)));
    case "insert": {
      const at = indexOf(state, state.selectedId) + (action.where === "below" ? 1 : 0);
      const cell = createCell({ cells: state.cells }, action.kind ?? "code");
      const cells = [...state.cells.slice(0, at), cell, ...state.cells.slice(at)];
      return {
        ...editCells(state, cells),
        runtime: { ...state.runtime, [cell.id]: initialCellRuntime() },
        selectedId: cell.id,
        mode: "edit",
      };
    }
    case "delete": {
      const index = indexOf(state, action.id);
      if (index < 0) return state;
      const remaining = state.cells.filter((c) => c.id !== action.id);
      // A notebook always has a cell: deleting the last one leaves an empty code cell, as Jupyter does.
      const cells = remaining.length > 0 ? remaining : [createCell({ cells: [] }, "code")];
      const next = cells[Math.min(index, cells.length - 1)];
      return {
        ...editCells(state, cells),
        runtime: { [next.id]: initialCellRuntime(), ...state.runtime },
        deleted: [{ cell: state.cells[index], index }, ...state.deleted].slice(0, 50),
        selectedId: state.selectedId === action.id ? next.id : state.selectedId,
        mode: "command",
      };
    }
    case "undo-delete": {
      const [last, ...rest] = state.deleted;
      if (!last) return state;
      // Its id may have been taken since (a new cell with the same text): give it a fresh one then.
      const cell = state.cells.some((c) => c.id === last.cell.id)
        ? { ...createCell({ cells: state.cells }, last.cell.kind, last.cell.source, last.cell.title), format: last.cell.format }
        : last.cell;
      const at = Math.min(last.index, state.cells.length);
      const cells = [...state.cells.slice(0, at), cell, ...state.cells.slice(at)];
      return {
        ...editCells(state, cells),
        runtime: { ...state.runtime, [cell.id]: state.runtime[cell.id] ?? initialCellRuntime() },
        deleted: rest,
        selectedId: cell.id,
        mode: "command",
      };
    }
    case "move": {
      const from = indexOf(state, action.id);
      const to = from + action.by;
      if (from < 0 || to < 0 || to >= state.cells.length) return state;
      const cells = [...state.cells];
      [cells[from], cells[to]] = [cells[to], cells[from]];
      return editCells(state, cells);
    }
    case "set-kind": {
      const cell = state.cells.find((c) => c.id === action.id);
      if (!cell || cell.kind === action.kind) return state;
      return editCells(state, state.cells.map((c) => (c.id === action.id ? { ...c, kind: action.kind } : c)));
    }
    case "select":
      if (indexOf(state, action.id) < 0) return state;
      return { ...state, selectedId: action.id, mode: action.mode ?? state.mode };
    case "select-next": {
      const index = indexOf(state, state.selectedId) + action.by;
      if (index < 0 || index >= state.cells.length) return action.mode ? { ...state, mode: action.mode } : state;
      return { ...state, selectedId: state.cells[index].id, mode: action.mode ?? state.mode };
    }
    case "mode":
      return state.mode === action.mode ? state : { ...state, mode: action.mode };
    case "load": {
      const fresh = initialNotebookState(action.text);
      return { ...fresh, kernel: state.kernel, run: state.run, hparams: state.hparams, textVersion: state.textVersion + 1 };
    }
    case "clear-outputs": {
      const clear = (r: CellRuntime): CellRuntime => ({ ...r, outputs: [], progress: {}, progressOrder: [] });
      const ids = action.id ? [action.id] : Object.keys(state.runtime);
      const runtime = { ...state.runtime };
      const samples = { ...state.samples };
      for (const id of ids) {
        if (runtime[id]) runtime[id] = clear(runtime[id]);
        delete samples[id];
      }
      return { ...state, runtime, samples };
    }
    case "queued":
      return withCellEvents(state, action.ids, { op: "queued" });
    case "kernel":
      return onKernelEvent(state, action.event);
    case "dismiss-warning":
      return { ...state, warnings: state.warnings.filter((w) => w.id !== action.id) };
    default:
      return assertNever(action);
  }
}

function onKernelEvent(state: NotebookState, event: KernelEvent): NotebookState {
  switch (event.op) {
    case "status": {
      const kernel = { ...state.kernel, status: event.status };
      // A dead kernel sends nothing more: cells waiting on it stop waiting.
      const next = { ...state, kernel };
      return event.status === "dead" ? withCellEvents(next, Object.keys(state.runtime), { op: "kernel-lost" }) : next;
    }
    case "kernel-info":
      return { ...state, kernel: { ...state.kernel, backend: event.backend, adapter: event.adapter, fallbackReason: event.fallbackReason } };
    case "run-started":
      return { ...state, run: { id: event.runId, name: event.name } };
    case "run-ended":
      return state.run?.id === event.runId ? { ...state, run: undefined } : state;
    case "config":
      return { ...state, hparams: event.hparams };
    case "warning":
      return addWarning(state, event.message);
    case "kernel-replaced": {
      const lost = withCellEvents(state, Object.keys(state.runtime), { op: "kernel-lost" });
      const fresh = { ...lost, run: undefined, hparams: {} };
      // A restart the user asked for needs no warning; one forced on them (a stuck or crashed kernel) does.
      return event.reason === RESTART_REASON ? fresh : addWarning(fresh, `Kernel restarted: ${event.reason}`);
    }
    case "pong":
    case "checkpoint":
    case "metric":
      return state; // metrics go to the live charts, outside this state (they arrive too often)
    case "sample": {
      const runtime = state.runtime[event.cellId];
      if (!runtime || runtime.exec !== event.exec) return state;
      const { key, step, mime, data, time } = event;
      return { ...state, samples: { ...state.samples, [event.cellId]: [...(state.samples[event.cellId] ?? []), { key, step, mime, data, time }] } };
    }
    case "cell-started": {
      const next = withCellEvents(state, [event.cellId], event);
      const samples = { ...next.samples };
      delete samples[event.cellId];
      return { ...next, samples };
    }
    case "output":
    case "progress":
    case "cell-finished":
    case "cell-skipped":
      return withCellEvents(state, [event.cellId], event);
    default:
      return assertNever(event);
  }
}

function withCellEvents(state: NotebookState, ids: readonly string[], event: CellEvent): NotebookState {
  let runtime = state.runtime;
  for (const id of ids) {
    const before = runtime[id];
    if (!before) continue; // a deleted cell's late events
    const after = transitionCell(before, event);
    if (after !== before) runtime = { ...runtime, [id]: after };
  }
  return runtime === state.runtime ? state : { ...state, runtime };
}

function addWarning(state: NotebookState, message: string): NotebookState {
  const id = (state.warnings.at(-1)?.id ?? 0) + 1;
  return { ...state, warnings: [...state.warnings, { id, message }].slice(-MAX_WARNINGS) };
}

function editCells(state: NotebookState, cells: NotebookCell[]): NotebookState {
  return { ...state, cells, textVersion: state.textVersion + 1 };
}

function indexOf(state: NotebookState, id: string): number {
  return state.cells.findIndex((c) => c.id === id);
}

