// JupyterLab's keys, as a pure function of the key pressed (and the one before it, for the double keys D D, I I,
// 0 0), so the page's keydown handler stays a dispatch and the bindings are tested without a browser.

export type NotebookCommand =
  | "run" // Ctrl/Cmd+Enter: run the cell, stay on it
  | "run-next" // Shift+Enter: run the cell, select the next (a new one at the end)
  | "run-insert" // Alt+Enter: run the cell, insert a cell below
  | "edit" // Enter: edit the selected cell
  | "command-mode" // Esc
  | "insert-above" // A
  | "insert-below" // B
  | "delete" // D D
  | "undo-delete" // Z
  | "to-markdown" // M
  | "to-code" // Y
  | "interrupt" // I I
  | "restart" // 0 0
  | "select-up" // ArrowUp, K
  | "select-down" // ArrowDown, J
  | "move-up" // Ctrl+Shift+ArrowUp
  | "move-down" // Ctrl+Shift+ArrowDown
  | "save"; // Ctrl/Cmd+S

/** The parts of a KeyboardEvent that matter. */
export interface KeyPress {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Milliseconds, from the event. */
  timeStamp: number;
}

/** The last plain key of command mode, to recognise D D and friends. */
export interface ChordState {
  key: string;
  time: number;
}

/** How soon the second key of a double key must follow the first. */
export const CHORD_MS = 800;

const DOUBLE: Record<string, NotebookCommand> = { d: "delete", i: "interrupt", "0": "restart" };
const SINGLE: Record<string, NotebookCommand> = {
  a: "insert-above",
  b: "insert-below",
  z: "undo-delete",
  m: "to-markdown",
  y: "to-code",
  k: "select-up",
  j: "select-down",
  arrowup: "select-up",
  arrowdown: "select-down",
  enter: "edit",
  escape: "command-mode",
};

/** Keys that work in both modes (the editor handles its own copies of the run keys while it has focus). */
export function anyModeCommand(e: KeyPress): NotebookCommand | undefined {
  const mod = e.ctrlKey || e.metaKey;
  if (mod && !e.altKey && e.key.toLowerCase() === "s") return "save";
  if (e.key !== "Enter") return undefined;
  if (e.shiftKey && !mod && !e.altKey) return "run-next";
  if (mod && !e.shiftKey && !e.altKey) return "run";
  if (e.altKey && !mod && !e.shiftKey) return "run-insert";
  return undefined;
}

/** A key in command mode: the command (if any) and the chord state to keep for the next key. */
export function commandModeKey(e: KeyPress, chord: ChordState | undefined): { command?: NotebookCommand; chord?: ChordState } {
  const any = anyModeCommand(e);
  if (any) return { command: any };
  const key = e.key.toLowerCase();
  if ((e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey) {
    if (key === "arrowup") return { command: "move-up" };
    if (key === "arrowdown") return { command: "move-down" };
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return {};
  if (key in DOUBLE) {
    if (chord && chord.key === key && e.timeStamp - chord.time <= CHORD_MS) return { command: DOUBLE[key] };
    return { chord: { key, time: e.timeStamp } };
  }
  if (e.shiftKey && key !== "enter") return {};
  return { command: SINGLE[key] };
}
