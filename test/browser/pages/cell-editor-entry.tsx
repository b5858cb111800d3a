// Browser side of cell-editor.test.ts: two code cells (the second sees the first's names) in React 19, their
// callbacks recorded for the test to read through `cellEditorHarness`.
import { useEffect, useState } from "react";
import { flushSync } from "react-dom";
import { createRoot } from "react-dom/client";
import { CellEditor } from "../../../components/notebook/editor/CellEditor";

export const FIRST_CELL = "const cfg = config({ lr: 2e-4 });";

export interface CellEditorHarness {
  /** What the editors reported: "run:0:run-next", "escape:1", "save:1", "leave:1:up", … */
  events: string[];
  /** The latest text each editor reported through onChange (or the page set). */
  values: string[];
  setValue(cell: number, value: string): void;
  setErrorLine(cell: number, line: number | undefined): void;
  /** Replaces the cells at once (flushSync): fewer deletes the last ones, more adds cells. */
  setCells(values: string[]): void;
  /** When the page script started (performance.now()). */
  startedAt: number;
}

const harness: CellEditorHarness = {
  events: [],
  values: [FIRST_CELL, ""],
  setValue: () => {},
  setErrorLine: () => {},
  setCells: () => {},
  startedAt: performance.now(),
};
(globalThis as unknown as { cellEditorHarness: CellEditorHarness }).cellEditorHarness = harness;

function App() {
  const [values, setValues] = useState([FIRST_CELL, ""]);
  const [errorLines, setErrorLines] = useState<(number | undefined)[]>([undefined, undefined]);
  useEffect(() => {
    harness.setValue = (cell, value) => {
      harness.values[cell] = value;
      setValues((vs) => vs.map((v, i) => (i === cell ? value : v)));
    };
    harness.setErrorLine = (cell, line) => setErrorLines((ls) => ls.map((l, i) => (i === cell ? line : l)));
    harness.setCells = (cells) => {
      harness.values = [...cells];
      flushSync(() => setValues([...cells]));
    };
  }, []);
  const record = (event: string) => harness.events.push(event);
  return (
    <main style={{ width: 700, margin: "20px auto", fontFamily: "sans-serif" }}>
      {values.map((value, i) => (
        <div key={i} data-cell={i} style={{ border: "1px solid #ccc", margin: "12px 0" }}>
          <CellEditor
            cellId={`cell-${i}`}
            value={value}
            language="typescript"
            codeBefore={values.slice(0, i)}
            errorLine={errorLines[i]}
            onChange={(v) => {
              harness.values[i] = v;
              setValues((vs) => vs.map((old, j) => (j === i ? v : old)));
            }}
            onRun={(mode) => record(`run:${i}:${mode}`)}
            onEscape={() => record(`escape:${i}`)}
            onSave={() => record(`save:${i}`)}
            onLeaveEdge={(direction) => record(`leave:${i}:${direction}`)}
            onFocus={() => record(`focus:${i}`)}
          />
        </div>
      ))}
    </main>
  );
}

document.addEventListener("DOMContentLoaded", () => {
  const root = document.createElement("div");
  document.body.append(root);
  createRoot(root).render(<App />);
});
