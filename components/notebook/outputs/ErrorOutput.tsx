"use client";

import type { CellErrorData } from "@/lib/runner/protocol";
import styles from "./outputs.module.css";

/** A cell's error: name and message, the line in the cell (a button that takes the editor there), the stack. */
export function ErrorOutput({ error, onLineClick }: { error: CellErrorData; onLineClick?(line: number): void }) {
  const { line, column } = error;
  const where = line !== undefined ? `line ${line}${column !== undefined ? `, column ${column}` : ""}` : null;
  return (
    <div className={styles.error} role="alert" data-output="error">
      <p className={styles.errorHead}>
        <strong>{error.name}</strong>: {error.message}
        {where && line !== undefined ? (
          onLineClick ? (
            <button
              type="button"
              className={styles.lineButton}
              onClick={() => onLineClick(line)}
              aria-label={`Go to ${where} of the cell`}
            >
              {where}
            </button>
          ) : (
            <span className={styles.lineButton}>{where}</span>
          )
        ) : null}
      </p>
      {error.stack ? (
        <details className={styles.stack}>
          <summary>Stack</summary>
          <pre>{error.stack}</pre>
        </details>
      ) : null}
    </div>
  );
}
