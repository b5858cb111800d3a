"use client";

import type * as Monaco from "monaco-editor";
import { useEffect, useRef, useState } from "react";
import { loadMonaco } from "../notebook/editor/load-monaco";
import styles from "./Compare.module.css";
import type { CompareRun } from "./types";

interface Props {
  runs: CompareRun[];
  pair: [string, string];
  onPair: (pair: [string, string]) => void;
}

/** Two runs' code snapshots in Monaco's diff editor, read-only; two selects choose the pair. */
export function CodeDiff({ runs, pair, onPair }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const editor = useRef<Monaco.editor.IStandaloneDiffEditor | null>(null);
  const [monaco, setMonaco] = useState<typeof Monaco | null>(null);
  const [error, setError] = useState<string | null>(null);
  const left = runs.find((r) => r.id === pair[0]);
  const right = runs.find((r) => r.id === pair[1]);

  useEffect(() => {
    let live = true;
    loadMonaco().then(
      (m) => live && setMonaco(m),
      (err: unknown) => live && setError(`The diff editor failed to load: ${String(err)}`),
    );
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    const el = box.current;
    if (!monaco || !el) return;
    const diff = monaco.editor.createDiffEditor(el, {
      readOnly: true,
      originalEditable: false,
      automaticLayout: true,
      renderSideBySide: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontSize: 12.5,
    });
    editor.current = diff;
    return () => {
      const model = diff.getModel();
      diff.dispose();
      model?.original.dispose();
      model?.modified.dispose();
      editor.current = null;
    };
  }, [monaco]);

  const leftCode = left?.code ?? "";
  const rightCode = right?.code ?? "";
  useEffect(() => {
    const diff = editor.current;
    if (!monaco || !diff) return;
    const old = diff.getModel();
    diff.setModel({
      original: monaco.editor.createModel(leftCode, "typescript"),
      modified: monaco.editor.createModel(rightCode, "typescript"),
    });
    old?.original.dispose();
    old?.modified.dispose();
  }, [monaco, leftCode, rightCode]);

  return (
    <div>
      <div className={styles.controls}>
        <RunPicker side="Left" runs={runs} value={pair[0]} onChange={(id) => onPair([id, pair[1]])} />
        <RunPicker side="Right" runs={runs} value={pair[1]} onChange={(id) => onPair([pair[0], id])} />
        {leftCode === rightCode ? <span className="muted">The two snapshots are identical.</span> : null}
      </div>
      {error ? <p className={styles.chartError}>{error}</p> : null}
      <div ref={box} className={styles.diff} data-left={pair[0]} data-right={pair[1]} />
    </div>
  );
}

/** One side of the diff: which run's code it shows. */
function RunPicker({ side, runs, value, onChange }: { side: "Left" | "Right"; runs: CompareRun[]; value: string; onChange(id: string): void }) {
  return (
    <label className={styles.control}>
      <span>{side}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} aria-label={`${side} run`}>
        {runs.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
    </label>
  );
}
