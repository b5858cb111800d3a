"use client";
// The notebook's toolbar: run and kernel controls, the kernel's status and backend, saving, files.
import { useRef } from "react";
import type { BackendChoice } from "@/lib/runner/protocol";
import type { ServerKernelAvailability } from "@/lib/runner/server/availability";
import type { KernelView } from "./notebook-state";
import styles from "./Notebook.module.css";
import type { SaveStatus } from "./useAutosave";
import type { KernelPlace } from "./useKernel";

interface Props {
  kernel: KernelView;
  /** The backend asked for; undefined: the best available. */
  backend: BackendChoice | undefined;
  /** Where the kernel runs; undefined until the page has decided. */
  place: KernelPlace | undefined;
  serverKernels: ServerKernelAvailability;
  run: { id: string; name: string } | undefined;
  save: SaveStatus;
  /** A cell's editor has the keys (edit mode): the busy dot then keeps the compositor's frames coming (CSS). */
  editing: boolean;
  onRunAll(): void;
  onRunCell(): void;
  onInterrupt(): void;
  onRestart(): void;
  onBackend(backend: BackendChoice | undefined): void;
  onPlace(place: KernelPlace): void;
  onClearAll(): void;
  onAddCell(): void;
  onOpen(file: File): void;
  onDownload(): void;
  onSave(): void;
}

const BACKEND_LABEL: Record<string, string> = { webgpu: "WebGPU", webgl: "WebGL", native: "native CPU", wasm: "WASM", cpu: "CPU" };
/** The backends each place offers, best first. */
const BACKENDS: Record<KernelPlace, BackendChoice[]> = {
  browser: ["webgpu", "webgl", "wasm", "cpu"],
  server: ["webgpu", "native", "wasm", "cpu"],
};
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
        {props.place === "server" ? <span className="muted">server · </span> : null}
        {label}
        {kernel.adapter ? <span className="muted"> · {kernel.adapter}</span> : null}
      </span>
      <label className={styles.backendPick} title={props.serverKernels.available ? "" : props.serverKernels.reason}>
        <span className="muted">Run on</span>{" "}
        <select
          aria-label="Run on"
          value={props.place ?? "browser"}
          disabled={!props.place}
          onChange={(e) => props.onPlace(e.target.value as KernelPlace)}
        >
          <option value="browser">this browser</option>
          <option value="server" disabled={!props.serverKernels.available}>
            server{props.serverKernels.available ? "" : " (unavailable)"}
          </option>
        </select>
      </label>
      {props.place === "server" ? (
        <a className={styles.runLink} href="/kernels" target="_blank" rel="noopener" title="The server's running kernels">
          kernels
        </a>
      ) : null}
      <label className={styles.backendPick}>
        <span className="muted">Backend</span>{" "}
        <select
          aria-label="Choose backend"
          value={props.backend ?? "auto"}
          onChange={(e) => props.onBackend(e.target.value === "auto" ? undefined : (e.target.value as BackendChoice))}
        >
          <option value="auto">best available</option>
          {BACKENDS[props.place ?? "browser"].map((b) => (
            <option key={b} value={b}>
              {BACKEND_LABEL[b]}
            </option>
          ))}
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
