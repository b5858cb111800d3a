"use client";
// The notebook page: cells edited in Monaco and run in the kernel worker, outputs under each cell, Jupyter's keys,
// autosave, and the experiment's runs beside it. State lives in notebookReducer; this component wires the kernel,
// the saving and the keys to it.
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import type { RunView } from "@/lib/tracker/runs";
import type { ServerKernelAvailability } from "@/lib/runner/server/availability";
import type { BackendChoice, JsonValue, KernelCommand, KernelEvent } from "@/lib/runner/protocol";
import { loadPlotly } from "../metrics/loadPlotly";
import { Cell } from "./Cell";
import { commandModeKey, type ChordState, type NotebookCommand } from "./command-keys";
import { MetricsStore } from "./metrics-store";
import { codeBefore, initialNotebookState, notebookReducer, notebookText } from "./notebook-state";
import styles from "./Notebook.module.css";
import { addCells, batchEvent, startBatch, type RunBatch } from "@/lib/runner/run-batch";
import { RunsPanel } from "./RunsPanel";
import { SaveBanner } from "./SaveBanner";
import { Toolbar } from "./Toolbar";
import { useAutosave } from "./useAutosave";
import { useKernel, type KernelPlace } from "./useKernel";
import { useKernelPlace } from "./useKernelPlace";

export interface NotebookExperiment {
  id: string;
  slug: string;
  title: string;
  notebook: string;
  version: number;
}

interface Props {
  experiment: NotebookExperiment;
  initialRuns: RunView[];
  /** Whether this server runs kernels, and why not. */
  serverKernels: ServerKernelAvailability;
  /** A server kernel is running for this notebook: the page joins it. */
  serverKernelRunning: boolean;
}

export function NotebookApp({ experiment, initialRuns, serverKernels, serverKernelRunning }: Props) {
  const [state, dispatch] = useReducer(notebookReducer, experiment.notebook, initialNotebookState);
  const [backend, setBackend] = useState<BackendChoice | undefined>(undefined);
  const batch = useRef<RunBatch | undefined>(undefined);
  const [place, setPlace] = useKernelPlace(experiment.id, serverKernels.available, serverKernelRunning);
  const choosePlace = useCallback(
    (next: KernelPlace) => {
      batch.current = undefined; // the kernel it belonged to is let go of
      setBackend(undefined);
      setPlace(next);
    },
    [setPlace],
  );
  const [metrics] = useState(() => new MetricsStore());
  const text = useMemo(() => notebookText({ cells: state.cells }), [state.cells]);
  const autosave = useAutosave({ experimentId: experiment.id, initialVersion: experiment.version, text });

  // Callbacks read the latest state through this ref (events and keys arrive between renders).
  const current = useRef(state);
  useEffect(() => {
    current.current = state;
  }, [state]);

  // Plotly (3.5 MB) is parsed while the page is idle, not in the middle of a training run's first chart.
  useEffect(() => {
    const idle = window.requestIdleCallback ?? ((f: () => void) => window.setTimeout(f, 1000));
    idle(() => void loadPlotly());
  }, []);

  // ---- the kernel and the tracked run of each stretch of execution
  const discardOnEnd = useRef(new Set<string>());

  const onKernelEvent = useCallback(
    (event: KernelEvent, send: (command: KernelCommand) => void) => {
      if (event.op === "metric") metrics.append(event.cellId, event.exec, event.points);
      else if (event.op === "cell-started") metrics.start(event.cellId, event.exec);
      if (event.op === "run-ended" && discardOnEnd.current.delete(event.runId)) {
        void fetch(`/api/runs/${encodeURIComponent(event.runId)}`, { method: "DELETE" }).catch(() => {});
      }
      // Only a worker kernel's runs have a batch here: a server kernel's manager ends its runs itself (it outlives
      // the page).
      if (batch.current) {
        const { batch: next, end } = batchEvent(batch.current, event);
        batch.current = next;
        if (end) {
          if (end.discardRunId) discardOnEnd.current.add(end.discardRunId);
          send({ type: "end-run", status: end.status, ...(end.error ? { error: end.error } : {}) });
        }
      }
      if (event.op === "status" && event.status === "dead") batch.current = undefined;
      if (event.op !== "metric" && event.op !== "pong") dispatch({ type: "kernel", event });
    },
    [metrics],
  );
  const kernel = useKernel({ place, backend, experimentId: experiment.id }, onKernelEvent);

  /** Saves, then runs the code cells among `ids` in one tracked run. */
  const runCells = useCallback(
    async (ids: string[], wholeNotebook: boolean) => {
      await autosave.saveNow(); // the text is stored before anything runs: the run's code is what was saved
      const { cells } = current.current;
      const code = ids.flatMap((id) => cells.filter((c) => c.id === id && c.kind === "code" && c.source.trim() !== ""));
      if (code.length === 0) return;
      if (place === "server") {
        // The server's manager joins these cells to the run under way, if any, else starts one.
        kernel.send({ type: "start-run", run: { experimentId: experiment.id, code: notebookText(current.current) }, wholeNotebook });
      } else if (!batch.current) {
        batch.current = startBatch(wholeNotebook);
        kernel.send({ type: "start-run", run: { experimentId: experiment.id, code: notebookText(current.current) } });
      }
      if (batch.current) batch.current = addCells(batch.current, code.length, wholeNotebook);
      for (const cell of code) kernel.send({ type: "run-cell", cellId: cell.id, code: cell.source });
      dispatch({ type: "queued", ids: code.map((c) => c.id) });
    },
    [autosave, experiment.id, kernel, place],
  );

  const runAll = useCallback(() => runCells(current.current.cells.map((c) => c.id), true), [runCells]);

  const restart = useCallback(() => {
    batch.current = undefined;
    kernel.restart();
  }, [kernel]);

  /** Rerun (or "Rerun with…") a recorded run: its code and hyperparameters in a fresh kernel. */
  const runAllAfterLoad = useRef(false);
  const rerun = useCallback(
    (code: string, hparams: Record<string, JsonValue>) => {
      restart();
      kernel.send({ type: "set-config", overrides: hparams });
      runAllAfterLoad.current = true;
      dispatch({ type: "load", text: code });
    },
    [kernel, restart],
  );
  // The loaded cells are in `current` only after the render that shows them.
  useEffect(() => {
    if (!runAllAfterLoad.current) return;
    runAllAfterLoad.current = false;
    void runAll();
  }, [state.cells, runAll]);

  // ---- commands (toolbar, keys, cell buttons)
  const execute = useCallback(
    (command: NotebookCommand) => {
      const s = current.current;
      const id = s.selectedId;
      const cell = s.cells.find((c) => c.id === id);
      switch (command) {
        case "run":
        case "run-next":
        case "run-insert": {
          if (cell) void runCells([id], false);
          if (command === "run") dispatch({ type: "mode", mode: "command" });
          else if (command === "run-insert") dispatch({ type: "insert", where: "below" });
          else if (s.cells.at(-1)?.id === id) dispatch({ type: "insert", where: "below" });
          else dispatch({ type: "select-next", by: 1, mode: "command" });
          return;
        }
        case "edit":
          return dispatch({ type: "mode", mode: "edit" });
        case "command-mode":
          return dispatch({ type: "mode", mode: "command" });
        case "insert-above":
          return dispatch({ type: "insert", where: "above" });
        case "insert-below":
          return dispatch({ type: "insert", where: "below" });
        case "delete":
          if (cell) kernel.send({ type: "delete-cell", cellId: id });
          return dispatch({ type: "delete", id });
        case "undo-delete":
          return dispatch({ type: "undo-delete" });
        case "to-markdown":
          return dispatch({ type: "set-kind", id, kind: "markdown" });
        case "to-code":
          return dispatch({ type: "set-kind", id, kind: "code" });
        case "interrupt":
          return kernel.interrupt();
        case "restart":
          return restart();
        case "select-up":
          return dispatch({ type: "select-next", by: -1 });
        case "select-down":
          return dispatch({ type: "select-next", by: 1 });
        case "move-up":
          return dispatch({ type: "move", id, by: -1 });
        case "move-down":
          return dispatch({ type: "move", id, by: 1 });
        case "save":
          void autosave.saveNow();
          return;
      }
    },
    [autosave, kernel, restart, runCells],
  );

  // Cells get one stable callback, so a change elsewhere does not re-render every cell.
  const latestExecute = useRef(execute);
  useEffect(() => {
    latestExecute.current = execute;
  }, [execute]);
  const onCommand = useCallback((command: NotebookCommand) => latestExecute.current(command), []);

  // Command mode: the page has the keys (A, B, D D…) while no editor or text field has focus, as in JupyterLab.
  const chord = useRef<ChordState | undefined>(undefined);
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (current.current.mode !== "command" || e.defaultPrevented || ownsKeys(e.target, e.key)) return;
      const { command, chord: next } = commandModeKey(e, chord.current);
      chord.current = next;
      if (!command) return;
      e.preventDefault();
      onCommand(command);
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [onCommand]);

  // Entering command mode takes the focus out of the editor, onto the selected cell, which scrolls into view.
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.mode !== "command") return;
    const el = root.current?.querySelector<HTMLElement>(`[data-cell-id="${state.selectedId}"]`);
    if (!el) return;
    el.scrollIntoView({ block: "nearest" });
    if (root.current?.contains(document.activeElement) && document.activeElement !== el) el.focus({ preventScroll: true });
  }, [state.mode, state.selectedId]);

  const befores = useMemo(() => new Map(state.cells.map((c) => [c.id, codeBefore(state.cells, c.id)])), [state.cells]);
  const busy = state.kernel.status === "busy";

  const openFile = useCallback(
    async (file: File) => {
      const loaded = await file.text();
      const ask = `Replace this notebook's text with ${file.name}? Runs keep the code they ran; download the current text first to keep a copy of it.`;
      if (!window.confirm(ask)) return;
      dispatch({ type: "load", text: loaded });
    },
    [],
  );

  const download = useCallback(() => {
    const blob = new Blob([notebookText(current.current)], { type: "text/typescript" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${experiment.slug}.ts`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }, [experiment.slug]);

  return (
    <div className={styles.layout}>
      <div className={styles.main}>
        <Toolbar
          kernel={state.kernel}
          backend={backend}
          place={place}
          serverKernels={serverKernels}
          run={state.run}
          save={autosave.status}
          editing={state.mode === "edit"}
          onRunAll={() => void runAll()}
          onRunCell={() => execute("run-next")}
          onInterrupt={() => kernel.interrupt()}
          onRestart={restart}
          onBackend={setBackend}
          onPlace={choosePlace}
          onClearAll={() => dispatch({ type: "clear-outputs" })}
          onAddCell={() => dispatch({ type: "insert", where: "below" })}
          onOpen={(f) => void openFile(f)}
          onDownload={download}
          onSave={() => void autosave.saveNow()}
        />
        <SaveBanner
          autosave={autosave}
          warnings={state.warnings}
          onTakeTheirs={(t) => dispatch({ type: "load", text: t })}
          onDismiss={(id) => dispatch({ type: "dismiss-warning", id })}
        />
        <div
          ref={root}
          className={styles.cells}
          role="list"
          aria-label="Notebook cells"
          aria-busy={busy}
        >
          {state.cells.map((cell, index) => (
            <Cell
              key={cell.id}
              cell={cell}
              index={index}
              runtime={state.runtime[cell.id]}
              samples={state.samples[cell.id]}
              metrics={metrics}
              selected={cell.id === state.selectedId}
              editing={cell.id === state.selectedId && state.mode === "edit"}
              codeBefore={befores.get(cell.id) ?? []}
              dispatch={dispatch}
              onCommand={onCommand}
            />
          ))}
          <button type="button" className={styles.addCell} onClick={() => dispatch({ type: "insert", where: "below" })}>
            + Code cell
          </button>
        </div>
      </div>
      <RunsPanel experimentId={experiment.id} initialRuns={initialRuns} live={busy || state.run !== undefined} onRerun={rerun} />
    </div>
  );
}

/** Whether the key belongs to the focused element: text fields take every key, buttons and links Enter and Space. */
function ownsKeys(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return true;
  return (key === "Enter" || key === " ") && (target.tagName === "BUTTON" || target.tagName === "A");
}
