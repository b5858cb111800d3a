import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileCell, mapErrorLocation, mapPosition, type CompiledCell } from "@/lib/runner/transpile";

const GOLDEN = path.join(__dirname, "golden/transpile");
const inputs = readdirSync(GOLDEN).filter((f) => f.endsWith(".ts"));

function compiled(source: string, id = "t"): CompiledCell {
  const result = compileCell(source, { id });
  if (!result.ok) throw new Error(`did not compile: ${result.error.message}`);
  return result;
}

/** Where `needle` starts in `source`, 1-based, as an editor shows it. */
function locate(source: string, needle: string): { line: number; column: number } {
  const before = source.slice(0, source.indexOf(needle)).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

// The fixtures are not project source: each .ts starts with three lines that keep lint, the type-check and the
// project's global scope off it, which the test blanks (keeping the line breaks, so line n of a .js file is line n of
// its .ts); each .js starts with a lint pragma on its first line itself.
const PRAGMAS = "/* eslint-disable */\n// @ts-nocheck\nexport {}; // a module: its names stay out of the project's global scope\n";
const LINT_OFF = "/* eslint-disable */ ";

function readCell(file: string): string {
  const text = readFileSync(path.join(GOLDEN, file), "utf8");
  if (!text.startsWith(PRAGMAS)) throw new Error(`${file} must start with the fixture pragmas`);
  return `\n\n\n${text.slice(PRAGMAS.length)}`;
}

describe("golden cells", () => {
  for (const file of inputs) {
    it(`${file} compiles to ${file.replace(/\.ts$/, ".js")}`, async () => {
      const cell = compiled(readCell(file), file.replace(/\.ts$/, ""));
      await expect(LINT_OFF + cell.code).toMatchFileSnapshot(`golden/transpile/${file.replace(/\.ts$/, ".js")}`);
    });

    it(`${file} keeps every line where it was`, () => {
      const source = readCell(file);
      const lines = compiled(source).code.split("\n");
      // The cell's lines, then "})" and the sourceURL comment.
      expect(lines.length).toBe(source.split("\n").length + 2);
    });
  }
});

describe("compileCell", () => {
  it("lists the top-level names, const or not", () => {
    const cell = compiled("const a = 1;\nlet b = 2;\nfunction c() {}\nclass D {}\nconst { e, f: [g] } = o;\nvar h;");
    expect(cell.declares).toEqual([
      { name: "a", constant: true },
      { name: "b", constant: false },
      { name: "c", constant: false },
      { name: "D", constant: false },
      { name: "e", constant: true },
      { name: "g", constant: true },
      { name: "h", constant: false },
    ]);
  });

  it("rewrites a name only where no enclosing scope declares it", () => {
    const cell = compiled("function f(x) { return x + y; }\nconst g = (y) => y;\n{ let z = 1; z; }\nz;");
    expect(cell.code).toContain("return x + __scope.y;");
    expect(cell.code).toContain("const g = (y) => y;");
    expect(cell.code).toContain("{ let z = 1; z; }\nreturn (__scope.z)");
  });

  it("leaves builtins but looks host names up, so the kernel can give a cell its own console", () => {
    const cell = compiled("console.log(Math.PI, JSON.stringify([]));");
    expect(cell.code).toContain("__scope.console.log(Math.PI, JSON.stringify([]))");
  });

  it("renames its own parameters when the cell already uses those names", () => {
    const cell = compiled("const __scope = 1;\nx;");
    expect(cell.code).toMatch(/^\(async function \(__scope1, __typeof1, __bind1\)/);
    expect(cell.code).toContain("return (__scope1.x)");
  });

  it("reports a TypeScript syntax error at its line and column", () => {
    const result = compileCell("const a = 1;\nconst b: number = (;\n", { id: "s" });
    expect(result).toMatchObject({ ok: false, error: { name: "SyntaxError", line: 2, column: 20 } });
  });

  it("reports a JavaScript early error at its place in the TypeScript", () => {
    const result = compileCell("const a: number = 1;\nconst a: string = 'x';\n", { id: "s" });
    expect(result).toMatchObject({ ok: false, error: { name: "SyntaxError", line: 2, column: 7 } });
    if (!result.ok) expect(result.error.message).toMatch(/already been declared/);
  });

  it("rejects import with the names a cell can use instead", () => {
    const result = compileCell("const a = 1;\nimport { range } from 'lodash';\nrange(a);", { id: "i", available: ["tf", "gan", "show"] });
    expect(result).toMatchObject({ ok: false, error: { name: "ImportError", line: 2, column: 1 } });
    if (!result.ok) expect(result.error.message).toMatch(/^Cells cannot import modules \("lodash"\)\. Every cell sees these names without importing: tf, gan, show\./);
  });

  it("says so when the imported name is already available", () => {
    const result = compileCell("import * as tf from '@tensorflow/tfjs-core';\ntf.scalar(1);", { id: "i" });
    if (result.ok) throw new Error("compiled");
    expect(result.error.message).toBe(`Cells do not import: tf is already available in every cell. Remove the import of "@tensorflow/tfjs-core".`);
  });

  it("allows type-only imports, which leave nothing to run", () => {
    expect(compileCell("import type { Tensor } from '@tensorflow/tfjs-core';\nlet t: Tensor;", { id: "i" }).ok).toBe(true);
  });

  it("rejects an import that nothing uses yet, rather than dropping it", () => {
    expect(compileCell("import { range } from 'lodash';", { id: "i" })).toMatchObject({ ok: false, error: { name: "ImportError" } });
  });

  it("rejects a namespace, which sucrase would drop without a word", () => {
    const result = compileCell("const a = 1;\n  namespace Shapes { export const square = 4; }", { id: "n" });
    expect(result).toMatchObject({ ok: false, error: { name: "SyntaxError", line: 2, column: 3 } });
    expect(compileCell("// namespace Shapes { in a comment }\nconst s = 'namespace X {';", { id: "n" }).ok).toBe(true);
  });

  it("rejects export", () => {
    const result = compileCell("export const a = 1;", { id: "e" });
    expect(result).toMatchObject({ ok: false, error: { name: "SyntaxError", line: 1, column: 1 } });
  });
});

describe("mapPosition", () => {
  it("maps a column after removed types and inserted scope lookups back to the TypeScript", () => {
    const source = "let a = 1;\nconst n: number = other + missing(a);";
    const cell = compiled(source);
    const genLine = cell.code.split("\n")[1];
    const at = (needle: string) => mapPosition(cell.columns, 2, genLine.indexOf(needle) + 1);
    expect(at("missing")).toEqual(locate(source, "missing"));
    expect(at("a);")).toEqual(locate(source, "a);"));
    expect(at("other")).toEqual(locate(source, "other"));
  });

  it("maps the call position of a rewritten callee to the name, where V8 puts a plain call", () => {
    const source = "let a = 1;\nconst n: number = missing(a);";
    const cell = compiled(source);
    const genLine = cell.code.split("\n")[1];
    expect(mapPosition(cell.columns, 2, genLine.indexOf("(a)") + 1)).toEqual(locate(source, "missing"));
  });

  it("maps a column on the first line past the prologue", () => {
    const source = "const x: Array<number> = [1, 2]; boom(x);";
    const cell = compiled(source);
    const genLine = cell.code.split("\n")[0];
    expect(mapPosition(cell.columns, 1, genLine.lastIndexOf("x)") + 1)).toEqual(locate(source, "x)"));
  });
});

describe("mapErrorLocation", () => {
  const cell = compiled("const a = 1;\nconst b = 2;\nthrow new Error('x');", "abc");

  it("reads a V8 stack", () => {
    const error = { stack: "Error: x\n    at g (cell-abc.js:3:7)\n    at eval (cell-abc.js:1:70)" };
    expect(mapErrorLocation(error, cell)).toEqual({ line: 3, column: 7 });
  });

  it("reads a Firefox or Safari stack", () => {
    const error = { stack: "g@cell-abc.js:3:7\n@cell-abc.js:1:70\n" };
    expect(mapErrorLocation(error, cell)).toEqual({ line: 3, column: 7 });
  });

  it("skips frames of other cells and ignores a cell whose id only ends the same", () => {
    const error = { stack: "Error\n    at f (cell-other.js:9:1)\n    at x (xcell-abc.js:5:5)\n    at eval (cell-abc.js:2:3)" };
    expect(mapErrorLocation(error, cell)).toEqual({ line: 2, column: 3 });
  });

  it("gives nothing when no frame is in the cell", () => {
    expect(mapErrorLocation(new Error("elsewhere"), cell)).toBeUndefined();
    expect(mapErrorLocation("not an error", cell)).toBeUndefined();
  });
});
