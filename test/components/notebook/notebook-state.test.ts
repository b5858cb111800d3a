import { describe, expect, it } from "vitest";
import {
  codeBefore,
  initialNotebookState,
  notebookReducer,
  notebookText,
  type NotebookAction,
  type NotebookState,
} from "@/components/notebook/notebook-state";
import { RESTART_REASON } from "@/lib/runner/kernel-client";
import { errorOutput } from "@/lib/runner/protocol";

const TEXT = "// %% [markdown]\n// # Title\n\n// %% Setup\nconst a = 1;\n\n// %% Use\nshow(a);\n";

function apply(state: NotebookState, ...actions: NotebookAction[]): NotebookState {
  return actions.reduce(notebookReducer, state);
}

describe("notebookReducer", () => {
  it("round-trips the saved text exactly when nothing was edited", () => {
    expect(notebookText(initialNotebookState(TEXT))).toBe(TEXT);
  });

  it("an edit changes the text and bumps textVersion, keeping the cell's id", () => {
    const s0 = initialNotebookState(TEXT);
    const id = s0.cells[1].id;
    const s1 = apply(s0, { type: "edit", id, source: "const a = 2;" });
    expect(s1.cells[1].id).toBe(id);
    expect(notebookText(s1)).toContain("const a = 2;");
    expect(s1.textVersion).toBe(s0.textVersion + 1);
  });

  it("inserts below the selection and selects the new cell in edit mode", () => {
    const s0 = initialNotebookState(TEXT);
    const s1 = apply(s0, { type: "select", id: s0.cells[1].id }, { type: "insert", where: "below" });
    expect(s1.cells).toHaveLength(4);
    expect(s1.cells[2].source).toBe("");
    expect(s1.selectedId).toBe(s1.cells[2].id);
    expect(s1.mode).toBe("edit");
    expect(s1.runtime[s1.cells[2].id]).toBeDefined();
  });

  it("deletes a cell and puts it back at its place with undo", () => {
    const s0 = initialNotebookState(TEXT);
    const id = s0.cells[1].id;
    const s1 = apply(s0, { type: "select", id }, { type: "delete", id });
    expect(s1.cells.map((c) => c.id)).not.toContain(id);
    expect(s1.selectedId).toBe(s0.cells[2].id);
    const s2 = apply(s1, { type: "undo-delete" });
    expect(s2.cells.map((c) => c.id)).toEqual(s0.cells.map((c) => c.id));
    expect(notebookText(s2)).toBe(TEXT);
    expect(apply(s2, { type: "undo-delete" })).toBe(s2);
  });

  it("deleting the only cell leaves one empty code cell", () => {
    const s0 = initialNotebookState("const x = 1;\n");
    const s1 = apply(s0, { type: "delete", id: s0.cells[0].id });
    expect(s1.cells).toHaveLength(1);
    expect(s1.cells[0]).toMatchObject({ kind: "code", source: "" });
    expect(s1.runtime[s1.cells[0].id]).toBeDefined();
  });

  it("moves cells within bounds only", () => {
    const s0 = initialNotebookState(TEXT);
    const [m, a, b] = s0.cells.map((c) => c.id);
    expect(apply(s0, { type: "move", id: b, by: -1 }).cells.map((c) => c.id)).toEqual([m, b, a]);
    expect(apply(s0, { type: "move", id: m, by: -1 })).toBe(s0);
    expect(apply(s0, { type: "move", id: b, by: 1 })).toBe(s0);
  });

  it("changes a cell's kind, and the text says so", () => {
    const s0 = initialNotebookState(TEXT);
    const s1 = apply(s0, { type: "set-kind", id: s0.cells[2].id, kind: "markdown" });
    expect(notebookText(s1)).toContain("// %% [markdown] Use\n// show(a);");
  });

  it("select-next stays within the notebook", () => {
    const s0 = initialNotebookState(TEXT);
    const s1 = apply(s0, { type: "select-next", by: 1 }, { type: "select-next", by: 1 }, { type: "select-next", by: 1 });
    expect(s1.selectedId).toBe(s0.cells[2].id);
    expect(apply(s0, { type: "select-next", by: -1 }).selectedId).toBe(s0.cells[0].id);
  });

  it("follows a cell through queued, started, output, finished", () => {
    const s0 = initialNotebookState(TEXT);
    const id = s0.cells[1].id;
    const s1 = apply(
      s0,
      { type: "queued", ids: [id] },
      { type: "kernel", event: { op: "cell-started", cellId: id, exec: 1, time: 5 } },
      { type: "kernel", event: { op: "output", cellId: id, exec: 1, output: errorOutput({ name: "TypeError", message: "x", line: 2 }, 6) } },
      { type: "kernel", event: { op: "cell-finished", cellId: id, exec: 1, outcome: "error", elapsedMs: 12 } },
    );
    expect(s1.runtime[id]).toMatchObject({ status: "errored", executionCount: 1, elapsedMs: 12 });
    expect(s1.runtime[id].outputs).toHaveLength(1);
    expect(apply(s1, { type: "clear-outputs" }).runtime[id].outputs).toEqual([]);
  });

  it("keeps a cell's samples for its current run only", () => {
    const s0 = initialNotebookState(TEXT);
    const id = s0.cells[2].id;
    const sample = { op: "sample", cellId: id, key: "samples", step: 1, mime: "image/gif", data: new Uint8Array([1]), time: 1 } as const;
    const s1 = apply(
      s0,
      { type: "kernel", event: { op: "cell-started", cellId: id, exec: 3, time: 1 } },
      { type: "kernel", event: { ...sample, exec: 3 } },
      { type: "kernel", event: { ...sample, exec: 2 } }, // a late one from an earlier run
    );
    expect(s1.samples[id]).toHaveLength(1);
    const s2 = apply(s1, { type: "kernel", event: { op: "cell-started", cellId: id, exec: 4, time: 2 } });
    expect(s2.samples[id]).toBeUndefined();
  });

  it("a replaced kernel stops every running and queued cell and forgets the run", () => {
    const s0 = initialNotebookState(TEXT);
    const [, a, b] = s0.cells.map((c) => c.id);
    const s1 = apply(
      s0,
      { type: "kernel", event: { op: "run-started", runId: "r1", name: "run-1" } },
      { type: "queued", ids: [a, b] },
      { type: "kernel", event: { op: "cell-started", cellId: a, exec: 1, time: 1 } },
      { type: "kernel", event: { op: "kernel-replaced", reason: "stuck" } },
    );
    expect(s1.runtime[a].status).toBe("interrupted");
    expect(s1.runtime[b].status).toBe("idle");
    expect(s1.run).toBeUndefined();
    expect(s1.warnings.at(-1)?.message).toContain("stuck");
  });

  it("a restart the user asked for adds no warning", () => {
    const s1 = apply(initialNotebookState(TEXT), { type: "kernel", event: { op: "kernel-replaced", reason: RESTART_REASON } });
    expect(s1.warnings).toEqual([]);
  });

  it("load replaces the cells but keeps the kernel", () => {
    const s0 = apply(initialNotebookState(TEXT), { type: "kernel", event: { op: "kernel-info", backend: "wasm" } });
    const s1 = apply(s0, { type: "load", text: "const z = 3;\n" });
    expect(notebookText(s1)).toBe("const z = 3;\n");
    expect(s1.kernel.backend).toBe("wasm");
    expect(s1.textVersion).toBe(s0.textVersion + 1);
  });

  it("codeBefore lists the code cells above a cell", () => {
    const s0 = initialNotebookState(TEXT);
    expect(codeBefore(s0.cells, s0.cells[2].id)).toEqual(["const a = 1;"]);
    expect(codeBefore(s0.cells, s0.cells[0].id)).toEqual([]);
  });

  it("keeps the last five warnings", () => {
    let s = initialNotebookState(TEXT);
    for (let i = 0; i < 7; i++) s = apply(s, { type: "kernel", event: { op: "warning", message: `w${i}` } });
    expect(s.warnings.map((w) => w.message)).toEqual(["w2", "w3", "w4", "w5", "w6"]);
    const s1 = apply(s, { type: "dismiss-warning", id: s.warnings[0].id });
    expect(s1.warnings).toHaveLength(4);
  });
});
