"use client";
// What the page must tell the user about saving and the kernel: a save conflict with another tab (choose a text),
// a failed save, another tab editing the same notebook, and the kernel's warnings.
import type { Autosave } from "./useAutosave";
import styles from "./Notebook.module.css";

interface Props {
  autosave: Autosave;
  warnings: { id: number; message: string }[];
  onTakeTheirs(text: string): void;
  onDismiss(id: number): void;
}

export function SaveBanner({ autosave, warnings, onTakeTheirs, onDismiss }: Props) {
  const { conflict } = autosave;
  return (
    <div className={styles.banners} aria-live="polite">
      {conflict ? (
        <div className={styles.bannerBad} role="alert">
          <strong>This notebook was saved elsewhere</strong> (another tab or the command line, now version {conflict.version}).
          Your text is not saved yet. Keep which one?{" "}
          <button type="button" onClick={() => void autosave.keepMine()}>
            Keep mine
          </button>{" "}
          <button
            type="button"
            onClick={() => {
              const theirs = autosave.takeTheirs();
              if (theirs) onTakeTheirs(theirs.notebook);
            }}
          >
            Load theirs
          </button>
        </div>
      ) : null}
      {autosave.status === "error" ? (
        <div className={styles.bannerBad} role="alert">
          Could not save: {autosave.error}. Your text stays here; saving is retried after your next edit.{" "}
          <button type="button" onClick={() => void autosave.saveNow()}>
            Retry now
          </button>
        </div>
      ) : null}
      {autosave.otherTab && !conflict ? (
        <div className={styles.bannerWarn} role="status">
          This notebook is open in another tab too. Edits in both are not merged: the page warns before one overwrites the other.
        </div>
      ) : null}
      {warnings.map((w) => (
        <div key={w.id} className={styles.bannerWarn} role="status">
          {w.message}{" "}
          <button type="button" aria-label="Dismiss" onClick={() => onDismiss(w.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
