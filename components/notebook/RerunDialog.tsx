"use client";
// "Rerun with…": a run's hyperparameters as a form, each field typed like the value it edits; what is changed
// reaches the notebook's `config(…)` calls as overrides (dotted keys reach nested values).
import { useState } from "react";
import type { JsonValue } from "@/lib/runner/protocol";
import type { RunDetail } from "@/lib/tracker/runs";
import styles from "./Notebook.module.css";

interface Props {
  run: RunDetail;
  onCancel(): void;
  onRun(hparams: Record<string, JsonValue>): void;
}

/** Nested objects to dotted keys; arrays and scalars are leaves. */
export function leaves(value: Record<string, unknown>, prefix = ""): [string, JsonValue][] {
  return Object.entries(value).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return v !== null && typeof v === "object" && !Array.isArray(v) ? leaves(v as Record<string, unknown>, key) : [[key, v as JsonValue]];
  });
}

/** A field's text back to a value of the original's type; an error message when it cannot be. */
export function parseField(text: string, original: JsonValue): { value: JsonValue } | { error: string } {
  if (typeof original === "number") {
    const n = Number(text.trim());
    return text.trim() !== "" && Number.isFinite(n) ? { value: n } : { error: "a number" };
  }
  if (typeof original === "boolean") return { value: text === "true" };
  if (typeof original === "string") return { value: text };
  try {
    return { value: JSON.parse(text) as JsonValue };
  } catch {
    return { error: "JSON" };
  }
}

export function RerunDialog({ run, onCancel, onRun }: Props) {
  const fields = leaves(run.hparams);
  const [texts, setTexts] = useState(() => Object.fromEntries(fields.map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])));
  const parsed = fields.map(([k, v]) => [k, parseField(texts[k], v)] as const);
  const invalid = parsed.filter(([, p]) => "error" in p);

  return (
    <div className={styles.dialogBackdrop}>
      <form
        role="dialog"
        aria-modal="true"
        aria-labelledby="rerun-title"
        className={styles.dialog}
        onSubmit={(e) => {
          e.preventDefault();
          if (invalid.length > 0) return;
          onRun(Object.fromEntries(parsed.map(([k, p]) => [k, (p as { value: JsonValue }).value])));
        }}
        onKeyDown={(e) => e.key === "Escape" && onCancel()}
      >
        <h2 id="rerun-title">Rerun {run.name} with…</h2>
        {fields.length === 0 ? <p className="muted">This run recorded no hyperparameters.</p> : null}
        <div className={styles.dialogFields}>
          {fields.map(([key, original]) => {
            const p = parsed.find(([k]) => k === key)![1];
            return (
              <label key={key}>
                <span>{key}</span>
                {typeof original === "boolean" ? (
                  <select value={texts[key]} onChange={(e) => setTexts({ ...texts, [key]: e.target.value })}>
                    <option value="true">true</option>
                    <option value="false">false</option>
                  </select>
                ) : (
                  <input
                    type="text"
                    value={texts[key]}
                    aria-invalid={"error" in p}
                    onChange={(e) => setTexts({ ...texts, [key]: e.target.value })}
                  />
                )}
                {"error" in p ? <em className={styles.fieldError}>expects {p.error}</em> : null}
              </label>
            );
          })}
        </div>
        <div className={styles.dialogButtons}>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={invalid.length > 0}>
            Rerun
          </button>
        </div>
      </form>
    </div>
  );
}
