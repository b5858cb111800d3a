"use client";
// The notebook's toolbar: run and kernel controls, the kernel's status and backend, saving, files.
import { useRef } from "react";
import type { BackendChoice } from "@/lib/runner/protocol";
import type { KernelView } from "./notebook-state";
import styles from "./Notebook.module.css";
import type { SaveStatus } from "./useAutosave";

interface Props {
  kernel: KernelView;
  /** The backend asked for; undefined: the best available. */
  backend: BackendChoice | undefined;
  run: { id: string; name: string } | undefined;
  save: SaveStatus;
  /** A cell's editor has the keys (edit mode): the busy dot then keeps the compositor's frames coming (CSS). */
  editing: boolean;
  onRunAll(): void;
  onRunCell(): void;
  onInterrupt(): void;
  onRestart(): void;
  onBackend(backend: BackendChoice | undefined): void;
  onClearAll(): void;
  onAddCell(): void;
  onOpen(file: File): void;
  onDownload(): void;
  onSave(): void;
}

const BACKEND_LABEL: Record<string, string> = { webgpu: "WebGPU", webgl: "WebGL", wasm: "WASM", cpu: "CPU" };
const SAVE_LABEL: Record<SaveStatus, string> = {
  saved: "Saved",
  unsaved: "Unsaved changes",
  saving: "Saving…",
  conflict: "Not saved: changed elsewhere",
  error: "Not saved",
};

export function Toolbar(props: Props) {
  const { kernel } = props;
  const file = useRef<HTMLInputElement>(null);
  const busy = kernel.status === "busy";
  const label = kernel.backend ? (BACKEND_LABEL[kernel.backend] ?? kernel.backend) : "…";
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Notebook">
      <button type="button" className="primary" onClick={props.onRunAll} title="Run every cell as one tracked run">
        Run all
      </button>
      <button type="button" onClick={props.onRunCell} title="Run the selected cell and select the next (Shift+Enter)">
        Run cell
      </button>
      <button type="button" onClick={props.onInterrupt} disabled={!busy} title="Stop the running cell (I I)">
        Interrupt
      </button>
      <button type="button" onClick={props.onRestart} title="A fresh kernel: every variable is lost, GPU memory is freed (0 0)">
        Restart kernel
      </button>
      <button type="button" onClick={props.onClearAll}>
        Clear outputs
      </button>
      <button type="button" onClick={props.onAddCell} aria-label="Add a code cell">
        + Cell
      </button>
      <span className={styles.spacer} />
      <span
        className={styles.kernelStatus}
        data-status={kernel.status}
        data-editing={props.editing || undefined}
        role="status"
        aria-label="Kernel status"
      >
        <span className={styles.dot} aria-hidden="true" /> {kernel.status}
      </span>
      <span className={styles.backendBadge} title={kernel.fallbackReason ?? kernel.adapter ?? ""} aria-label="Backend">
        {label}
        {kernel.adapter ? <span className="muted"> · {kernel.adapter}</span> : null}
      </span>
      <label className={styles.backendPick}>
        <span className="muted">Backend</span>{" "}
        <select
          aria-label="Choose backend"
          value={props.backend ?? "auto"}
          onChange={(e) => props.onBackend(e.target.value === "auto" ? undefined : (e.target.value as BackendChoice))}
        >
          <option value="auto">best available</option>
          <option value="webgpu">WebGPU</option>
          <option value="webgl">WebGL</option>
          <option value="wasm">WASM</option>
          <option value="cpu">CPU</option>
        </select>
      </label>
      {props.run ? (
        <a className={styles.runLink} href={`/runs/${props.run.id}`} target="_blank" rel="noopener" title="The run being recorded">
          ● {props.run.name}
        </a>
      ) : null}
      <button type="button" className={styles.saveState} data-save={props.save} onClick={props.onSave} title="Save now (Ctrl+S)">
        {SAVE_LABEL[props.save]}
      </button>
      <button type="button" onClick={() => file.current?.click()} title="Open a .ts notebook file">
        Open…
      </button>
      <input
        ref={file}
        type="file"
        accept=".ts,text/typescript,text/plain"
        hidden
        aria-label="Open notebook file"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = "";
          if (f) props.onOpen(f);
        }}
      />
      <button type="button" onClick={props.onDownload} title="Download the notebook as a .ts file">
        Download .ts
      </button>
    </div>
  );
}
