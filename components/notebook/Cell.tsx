"use client";
// One cell: its execution count and time, its editor (or rendered markdown), its buttons, and its outputs.
// Memoised: a kernel event for one cell re-renders that cell only.
import { memo, useEffect, useMemo, useState, type Dispatch } from "react";
import type { CellRuntime } from "@/lib/runner/cell-state";
import type { NotebookCell } from "@/lib/runner/notebook";
import { isErrorOutput } from "@/lib/runner/protocol";
import { formatDuration } from "../format";
import type { NotebookCommand } from "./command-keys";
import { CellEditor } from "./editor/CellEditor";
import { renderMarkdown } from "./markdown";
import { useCellMetrics, type MetricsStore } from "./metrics-store";
import type { CellSample, NotebookAction } from "./notebook-state";
import styles from "./Notebook.module.css";
import { CellOutputs } from "./outputs/CellOutputs";

interface Props {
  cell: NotebookCell;
  index: number;
  runtime: CellRuntime;
  samples: CellSample[] | undefined;
  metrics: MetricsStore;
  selected: boolean;
  editing: boolean;
  codeBefore: readonly string[];
  dispatch: Dispatch<NotebookAction>;
  onCommand(command: NotebookCommand): void;
}

const NO_SAMPLES: CellSample[] = [];

export const Cell = memo(function Cell(props: Props) {
  const { cell, index, runtime, selected, editing, dispatch, onCommand } = props;
  const id = cell.id;
  const liveMetrics = useCellMetrics(props.metrics, id);
  const running = runtime.status === "running";
  const errorLine = useMemo(() => {
    if (runtime.status !== "errored") return undefined;
    const error = runtime.outputs.findLast(isErrorOutput);
    return error?.data.line;
  }, [runtime]);
  const progress = useMemo(() => runtime.progressOrder.map((p) => runtime.progress[p]), [runtime.progress, runtime.progressOrder]);
  const select = (mode: "command" | "edit") => dispatch({ type: "select", id, mode });
  const hasOutputs = runtime.outputs.length > 0 || progress.length > 0 || (props.samples?.length ?? 0) > 0 || liveMetrics;

  const editor = (
    <CellEditor
      cellId={id}
      value={cell.source}
      language={cell.kind === "code" ? "typescript" : "markdown"}
      codeBefore={props.codeBefore}
      errorLine={errorLine}
      autoFocus={editing}
      onChange={(source) => dispatch({ type: "edit", id, source })}
      onFocus={() => select("edit")}
      onEscape={() => dispatch({ type: "mode", mode: "command" })}
      onRun={(mode) => onCommand(mode)}
      onSave={() => onCommand("save")}
      onLeaveEdge={(direction) => dispatch({ type: "select-next", by: direction === "up" ? -1 : 1, mode: "edit" })}
    />
  );

  return (
    <div
      role="listitem"
      aria-label={`Cell ${index + 1}${cell.title ? `: ${cell.title}` : ""}`}
      aria-current={selected ? "true" : undefined}
      data-cell-id={id}
      data-kind={cell.kind}
      data-status={runtime.status}
      tabIndex={selected ? 0 : -1}
      className={[styles.cell, selected && styles.selected, editing && styles.editing, styles[runtime.status]].filter(Boolean).join(" ")}
      onMouseDown={() => !selected && select(editing ? "edit" : "command")}
    >
      <div className={styles.gutter}>
        {cell.kind === "code" ? (
          <>
            {/* The kernel's count of cell runs, as Jupyter's In [n]: it tells the order cells last ran in. */}
            <span className={styles.count} aria-label="execution count">
              [{running || runtime.status === "queued" ? "*" : (runtime.exec ?? " ")}]
            </span>
            {running && runtime.startedAt ? <Elapsed since={runtime.startedAt} /> : null}
            {!running && runtime.elapsedMs !== undefined ? (
              <span className={styles.elapsed} title="how long the last run took">
                {formatDuration(runtime.elapsedMs)}
              </span>
            ) : null}
          </>
        ) : null}
      </div>
      <div className={styles.body}>
        {cell.title ? <div className={styles.title}>{cell.title}</div> : null}
        {cell.kind === "markdown" && !editing ? (
          <div
            className={styles.markdown}
            onDoubleClick={() => select("edit")}
            // renderMarkdown escapes raw HTML and refuses script links (markdown.ts)
            dangerouslySetInnerHTML={{ __html: renderMarkdown(cell.source || "*Empty markdown cell: double-click to edit.*") }}
          />
        ) : (
          editor
        )}
        {cell.kind === "code" && hasOutputs ? (
          <CellOutputs
            outputs={runtime.outputs}
            progress={progress}
            metrics={liveMetrics}
            samples={props.samples ?? NO_SAMPLES}
            onErrorLineClick={() => select("edit")}
          />
        ) : null}
      </div>
      {selected ? <CellButtons cell={cell} dispatch={dispatch} onCommand={onCommand} /> : null}
    </div>
  );
});

function CellButtons({ cell, dispatch, onCommand }: Pick<Props, "cell" | "dispatch" | "onCommand">) {
  const id = cell.id;
  return (
    <div className={styles.cellButtons} role="toolbar" aria-label="Cell actions">
      <button type="button" title="Run this cell (Ctrl+Enter)" aria-label="Run this cell" onClick={() => onCommand("run")}>
        ▶
      </button>
      <button type="button" title="Move up" aria-label="Move cell up" onClick={() => dispatch({ type: "move", id, by: -1 })}>
        ↑
      </button>
      <button type="button" title="Move down" aria-label="Move cell down" onClick={() => dispatch({ type: "move", id, by: 1 })}>
        ↓
      </button>
      <button
        type="button"
        title={cell.kind === "code" ? "Make it markdown (M)" : "Make it code (Y)"}
        onClick={() => dispatch({ type: "set-kind", id, kind: cell.kind === "code" ? "markdown" : "code" })}
      >
        {cell.kind === "code" ? "MD" : "TS"}
      </button>
      <button type="button" title="Clear this cell's outputs" aria-label="Clear cell outputs" onClick={() => dispatch({ type: "clear-outputs", id })}>
        ⌫
      </button>
      <button type="button" title="Delete (D D; Z undoes)" aria-label="Delete cell" className="danger" onClick={() => onCommand("delete")}>
        ✕
      </button>
    </div>
  );
}

/** Seconds since the cell started, ticking while it runs. */
function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <span className={styles.elapsed}>{formatDuration(Math.max(0, now - since))}</span>;
}
