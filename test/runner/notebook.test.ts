import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createCell, parseNotebook, serializeNotebook, type Notebook, type NotebookCell } from "@/lib/runner/notebook";
import { seededRandom, pick } from "./random";

const GOLDEN = path.join(__dirname, "golden/notebooks");
const goldenFiles = readdirSync(GOLDEN).filter((f) => f.endsWith(".ts"));

// Read as bytes decoded to a string with no newline translation: the files hold CRLF and lone CR on purpose.
const read = (file: string) => readFileSync(path.join(GOLDEN, file), "utf8");

describe("golden notebooks", () => {
  it("has the tricky files", () => {
    expect(goldenFiles.length).toBeGreaterThanOrEqual(7);
  });

  for (const file of goldenFiles) {
    it(`${file} round-trips byte for byte`, () => {
      const text = read(file);
      expect(serializeNotebook(parseNotebook(text))).toBe(text);
    });

    it(`${file} parses into the expected cells`, async () => {
      const cells = parseNotebook(read(file)).cells.map(({ id, kind, title, source, format }) => ({
        id,
        kind,
        ...(title === undefined ? {} : { title }),
        source,
        format,
      }));
      await expect(`${JSON.stringify(cells, null, 2)}\n`).toMatchFileSnapshot(`golden/notebooks/${file}.cells.json`);
    });
  }
});

describe("parseNotebook", () => {
  it("reads code and markdown cells with titles", () => {
    const nb = parseNotebook("// %% [markdown]\n// # Hi\n//\n// there\n\n// %% Train\nconst x = 1;\n");
    expect(nb.cells.map(({ kind, title, source }) => ({ kind, title, source }))).toEqual([
      { kind: "markdown", title: undefined, source: "# Hi\n\nthere" },
      { kind: "code", title: "Train", source: "const x = 1;" },
    ]);
  });

  it("makes a file without a marker one code cell", () => {
    const nb = parseNotebook("const a = 1;\nconst b = 2;\n");
    expect(nb.cells).toHaveLength(1);
    expect(nb.cells[0]).toMatchObject({ kind: "code", source: "const a = 1;\nconst b = 2;", format: { header: null } });
  });

  it("makes an empty file one empty cell that writes back as nothing", () => {
    const nb = parseNotebook("");
    expect(nb.cells).toHaveLength(1);
    expect(nb.cells[0].source).toBe("");
    expect(serializeNotebook(nb)).toBe("");
  });

  it("keeps text before the first marker as a header-less cell", () => {
    const nb = parseNotebook("// about this notebook\n\n// %%\nx;\n");
    expect(nb.cells.map((c) => [c.format.header, c.source])).toEqual([
      [null, "// about this notebook"],
      ["// %%", "x;"],
    ]);
  });

  it("gives CRLF cells a \\n source and remembers the line end", () => {
    const nb = parseNotebook("// %% A\r\nconst a = 1;\r\nconst b = 2;\r\n");
    expect(nb.cells[0]).toMatchObject({ title: "A", source: "const a = 1;\nconst b = 2;", format: { eol: "\r\n" } });
  });

  it("does not split at an indented or glued marker", () => {
    const nb = parseNotebook("// %%\nfunction f() {\n  // %% not a marker\n}\n// %%x\n// %%% neither\n");
    expect(nb.cells).toHaveLength(1);
  });

  it("keeps a markdown cell with bare blank lines verbatim", () => {
    const nb = parseNotebook("// %% [markdown]\n// a\n\n// b\n");
    expect(nb.cells[0]).toMatchObject({ source: "// a\n\n// b", format: { verbatim: true } });
  });
});

describe("cell ids", () => {
  it("are the same for the same file", () => {
    const text = read("hello.ts");
    expect(parseNotebook(text).cells.map((c) => c.id)).toEqual(parseNotebook(text).cells.map((c) => c.id));
  });

  it("survive an edit, a move or a deletion of another cell", () => {
    const text = "// %%\nconst a = 1;\n\n// %%\nconst b = 2;\n\n// %%\nconst c = 3;\n";
    const before = parseNotebook(text).cells.map((c) => c.id);
    const edited = parseNotebook(text.replace("const a = 1;", "const a = 10;")).cells.map((c) => c.id);
    expect(edited.slice(1)).toEqual(before.slice(1));
    const moved = parseNotebook("// %%\nconst c = 3;\n\n// %%\nconst b = 2;\n").cells.map((c) => c.id);
    expect(moved).toEqual([before[2], before[1]]);
  });

  it("tell identical cells apart", () => {
    const ids = parseNotebook("// %%\nx\n// %%\nx\n// %%\nx\n").cells.map((c) => c.id);
    expect(new Set(ids).size).toBe(3);
  });

  it("are new for a created cell, even one identical to an existing cell", () => {
    const nb = parseNotebook("// %%\n");
    const a = createCell(nb, "code");
    const b = createCell({ cells: [...nb.cells, a] }, "code");
    expect(new Set([nb.cells[0].id, a.id, b.id]).size).toBe(3);
  });
});

describe("createCell", () => {
  it("writes the new cell with the notebook's line end", () => {
    expect(createCell(parseNotebook("// %%\r\nx\r\n"), "code").format.eol).toBe("\r\n");
  });

  it("writes a title into the header", () => {
    expect(createCell(parseNotebook(""), "markdown", "# Notes", "Intro").format.header).toBe("// %% [markdown] Intro");
  });
});

describe("serializeNotebook after edits", () => {
  const text = "// %% Setup\r\nconst a = 1;\r\n\r\n// %% [markdown]\n// # Notes\n\n// %%   Spaced   \nconst b = 2;\n";

  it("writes an unchanged cell with its own bytes and an edited one in the same style", () => {
    const nb = parseNotebook(text);
    nb.cells[0] = { ...nb.cells[0], source: "const a = 1;\nconst a2 = 2;" };
    expect(serializeNotebook(nb)).toBe(text.replace("const a = 1;\r\n", "const a = 1;\r\nconst a2 = 2;\r\n"));
  });

  it("writes a fresh header when the title or kind changed, and keeps the written one otherwise", () => {
    const nb = parseNotebook(text);
    nb.cells[2] = { ...nb.cells[2], title: "Train" };
    nb.cells[1] = { ...nb.cells[1], kind: "code", source: "// # Notes" };
    expect(serializeNotebook(nb)).toBe(
      "// %% Setup\r\nconst a = 1;\r\n\r\n// %%\n// # Notes\n\n// %% Train\nconst b = 2;\n",
    );
  });

  it("comments the lines of an edited markdown cell", () => {
    const nb = parseNotebook(text);
    nb.cells[1] = { ...nb.cells[1], source: "# Notes\n\nMore." };
    expect(serializeNotebook(nb)).toContain("// %% [markdown]\n// # Notes\n//\n// More.\n\n// %%");
  });

  it("gives a header-less first cell a header once it is no longer first", () => {
    const nb = parseNotebook("const a = 1;\n\n// %%\nconst b = 2;\n");
    const swapped: Notebook = { cells: [nb.cells[1], nb.cells[0]] };
    expect(serializeNotebook(swapped)).toBe("// %%\nconst b = 2;\n// %%\nconst a = 1;\n\n");
  });

  it("ends a cell's last line before the next cell even when it had none", () => {
    const nb = parseNotebook("// %%\nconst a = 1;");
    const cells = [...nb.cells, createCell(nb, "code", "const b = 2;", "More")];
    expect(serializeNotebook({ cells })).toBe("// %%\nconst a = 1;\n// %% More\nconst b = 2;\n\n");
  });
});

// ---- property-style tests over generated texts ----

// Pieces chosen to hit the format's edges: markers and near-markers, comment marks, every line end.
const PIECES = [
  "// %%", "// %% Title", "// %% [markdown]", "// %% [md] T", "//%%", "// %%%", "  // %%", "// %%x", "// ", "//",
  "// text", "x", "const a = 1;", " ", "\t", "\n", "\n", "\n", "\r\n", "\r\n", "\r", "é", "\u2028", "%%",
];

describe("round trip of generated texts", () => {
  it("serializeNotebook(parseNotebook(text)) === text for 3000 random texts", () => {
    const rand = seededRandom(1);
    for (let i = 0; i < 3000; i++) {
      const n = Math.floor(rand() * 40);
      let text = "";
      for (let j = 0; j < n; j++) text += pick(rand, PIECES);
      const nb = parseNotebook(text);
      expect(serializeNotebook(nb), JSON.stringify(text)).toBe(text);
      expect(new Set(nb.cells.map((c) => c.id)).size).toBe(nb.cells.length);
    }
  });

  it("writes edited cells so that they read back the same, for 1000 random notebooks", () => {
    const rand = seededRandom(2);
    // No "\r" (a line ending in one reads back as CRLF) and nothing that reads as a marker.
    const codeLines = ["const a = 1;", "", "  f(x);", "// comment", "//%%% x", "\t", "é"];
    const mdLines = ["# Title", "", " indented", "text // with slashes", "%%x", "é"];
    for (let i = 0; i < 1000; i++) {
      let nb: Notebook = { cells: [] };
      const cells: NotebookCell[] = [];
      const count = 1 + Math.floor(rand() * 5);
      for (let j = 0; j < count; j++) {
        const kind = rand() < 0.3 ? "markdown" : "code";
        const lines = Array.from({ length: Math.floor(rand() * 4) }, () => pick(rand, kind === "code" ? codeLines : mdLines));
        let source = lines.join("\n");
        if (kind === "code") source = source.replace(/\n+$/, ""); // a source never ends with a line end
        const cell = createCell(nb, kind, source, pick(rand, [undefined, "Train", "Data and model"]));
        cell.format = { ...cell.format, eol: rand() < 0.5 ? "\n" : "\r\n", trailing: Math.floor(rand() * 3) };
        cells.push(cell);
        nb = { cells: [...cells] };
      }
      const back = parseNotebook(serializeNotebook(nb)).cells;
      const shape = (c: NotebookCell) => ({ kind: c.kind, title: c.title, source: c.source });
      expect(back.map(shape), serializeNotebook(nb)).toEqual(nb.cells.map(shape));
    }
  });
});
