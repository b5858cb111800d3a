"use client";

import type { Progress } from "@/lib/runner/protocol";
import { progressPercent, progressText } from "./format";
import styles from "./outputs.module.css";

/** The cell's progress bars, in the order they first appeared. Without a total a bar is indeterminate. */
export function ProgressBars({ progress }: { progress: readonly Progress[] }) {
  if (progress.length === 0) return null;
  return (
    <div className={styles.bars}>
      {progress.map((p) => {
        const text = progressText(p);
        const known = progressPercent(p) !== null;
        const label = p.label || "progress";
        return (
          <div key={p.id} className={styles.bar} data-progress={p.id}>
            <span className={styles.barLabel} title={label}>
              {label}
            </span>
            {/* A <progress> without value is indeterminate; with one it is a progressbar with aria-valuenow. */}
            {known ? (
              <progress value={Math.min(p.done, p.total!)} max={p.total} aria-label={label} aria-valuetext={text} />
            ) : (
              <progress aria-label={label} aria-valuetext={text} />
            )}
            <span className={styles.barText}>{text}</span>
          </div>
        );
      })}
    </div>
  );
}
