import { describe, expect, it } from "vitest";
import { availableNames, createScope, deleteCellNames, runCell, type NotebookScope } from "@/lib/runner/scope";
import { compileCell } from "@/lib/runner/transpile";

const globals = { tf: { name: "tf" }, gan: { name: "gan" } };

/** Compile and run one cell as the kernel will; `id` names the cell across re-runs. */
function run(scope: NotebookScope, id: string, source: string, api: Record<string, unknown> = {}) {
  return runCell(scope, compileCell(source, { id, available: availableNames(scope, api) }), api);
}

describe("names across cells", () => {
  it("shares every kind of top-level declaration with later cells", async () => {
    const scope = createScope(globals);
    await run(scope, "a", "const a = 1;\nlet b = 2;\nvar c = 3;\nfunction d() { return 4; }\nclass E { f = 5; }");
    expect((await run(scope, "b", "[a, b, c, d(), new E().f]")).value).toEqual([1, 2, 3, 4, 5]);
  });

  it("shares destructured names", async () => {
    const scope = createScope();
    await run(scope, "a", "const { x, y: [z = 3] = [], ...rest } = { x: 1, y: [], p: 2 };\nconst [m, , ...n] = [1, 2, 3, 4];");
    expect((await run(scope, "b", "({ x, z, rest, m, n })")).value).toEqual({ x: 1, z: 3, rest: { p: 2 }, m: 1, n: [3, 4] });
  });

  it("rebinds a cell's names when it runs again", async () => {
    const scope = createScope();
    await run(scope, "a", "let x = 1;");
    expect((await run(scope, "b", "x")).value).toBe(1);
    await run(scope, "a", "let x = 2;");
    expect((await run(scope, "b", "x")).value).toBe(2);
  });

  it("drops the names a cell no longer declares when it runs again", async () => {
    const scope = createScope();
    await run(scope, "a", "const old = 1;\nconst kept = 2;");
    await run(scope, "a", "const kept = 3;");
    expect((await run(scope, "b", "typeof old")).value).toBe("undefined");
    expect((await run(scope, "b", "kept")).value).toBe(3);
  });

  it("lets a later declaration of the same name replace an earlier cell's", async () => {
    const scope = createScope();
    await run(scope, "a", "const n = 1;");
    await run(scope, "b", "const n = 2;");
    expect((await run(scope, "c", "n")).value).toBe(2);
  });

  it("forgets a deleted cell's names", async () => {
    const scope = createScope();
    await run(scope, "a", "const gone = 1;");
    deleteCellNames(scope, "a");
    expect((await run(scope, "b", "gone")).error).toMatchObject({ name: "ReferenceError", message: "gone is not defined" });
  });

  it("updates an earlier cell's let from a later cell, and that cell's closures see it", async () => {
    const scope = createScope();
    await run(scope, "a", "let count = 0;\nfunction inc() { return ++count; }");
    expect((await run(scope, "b", "inc(); inc();\ncount")).value).toBe(2);
    expect((await run(scope, "c", "count = 10;\ninc()")).value).toBe(11);
    expect((await run(scope, "d", "count += 1; count")).value).toBe(12);
  });

  it("throws a TypeError like JS when a later cell assigns an earlier const", async () => {
    const scope = createScope();
    await run(scope, "a", "const limit = 1;");
    const { error } = await run(scope, "b", "// raise it\nlimit = 2;");
    expect(error).toMatchObject({ name: "TypeError", message: "Assignment to constant variable.", line: 2 });
    expect((await run(scope, "c", "limit")).value).toBe(1);
  });

  it("hoists a function within its cell and shows it to later cells", async () => {
    const scope = createScope();
    expect((await run(scope, "a", "const v = twice(2);\nfunction twice(x: number) { return 2 * x; }\nv")).value).toBe(4);
    expect((await run(scope, "b", "twice(5)")).value).toBe(10);
  });

  it("lets a function use a name that a later cell defines", async () => {
    const scope = createScope();
    await run(scope, "a", "function area() { return side * side; }");
    await run(scope, "b", "const side = 3;");
    expect((await run(scope, "c", "area()")).value).toBe(9);
  });

  it("keeps the temporal dead zone of let and const", async () => {
    const scope = createScope();
    const { error } = await run(scope, "a", "const early = late;\nconst late = 1;");
    expect(error).toMatchObject({ name: "ReferenceError", line: 1 });
    expect(error?.message).toMatch(/before initialization/);
  });

  it("runs top-level await and resolves to the last expression", async () => {
    const scope = createScope();
    await run(scope, "a", "const wait = (ms: number) => new Promise<number>((r) => setTimeout(() => r(ms), ms));");
    expect((await run(scope, "b", "const got = await wait(5);\nawait wait(got + 1)")).value).toBe(6);
    expect((await run(scope, "c", "got")).value).toBe(5);
  });

  it("gives no value when the cell ends in a statement", async () => {
    expect(await run(createScope(), "a", "const x = 1;")).toEqual({ value: undefined });
  });

  it("sees the kernel's globals and this run's API, and a cell's own declaration wins over them", async () => {
    const scope = createScope(globals);
    const shown: unknown[] = [];
    await run(scope, "a", "show(tf.name, gan.name);", { show: (...v: unknown[]) => shown.push(...v) });
    expect(shown).toEqual(["tf", "gan"]);
    await run(scope, "b", "const tf = 'mine';");
    expect((await run(scope, "c", "tf")).value).toBe("mine");
  });

  it("keeps the API of the run that made a closure", async () => {
    const scope = createScope();
    const first: string[] = [];
    const second: string[] = [];
    await run(scope, "a", "const report = () => log('from a');", { log: (m: string) => first.push(m) });
    await run(scope, "b", "report(); log('from b');", { log: (m: string) => second.push(m) });
    expect([first, second]).toEqual([["from a"], ["from b"]]);
  });

  it("does not let a cell assign a global or an API name", async () => {
    const { error } = await run(createScope(globals), "a", "tf = null;");
    expect(error).toMatchObject({ name: "TypeError", message: "Assignment to constant variable." });
  });

  it("runs cells in strict mode with no `this`", async () => {
    const scope = createScope();
    expect((await run(scope, "a", "function who() { return this; }\n[typeof this, who()]")).value).toEqual(["undefined", undefined]);
    expect((await run(scope, "b", "who()")).value).toBeUndefined();
    expect((await run(scope, "c", "undeclared = 1;")).error).toMatchObject({ name: "ReferenceError", message: "undeclared is not defined" });
  });

  it("answers typeof of a missing name with undefined", async () => {
    expect((await run(createScope(), "a", "typeof nowhere")).value).toBe("undefined");
  });
});

// Cells run one after another give what the same code gives as one script (the value of the last cell).
const SCRIPTS: [string, string[], unknown][] = [
  ["swap by destructuring", ["let a = 1, b = 2;", "[a, b] = [b, a];", "({ a, b })"], { a: 2, b: 1 }],
  ["nested pattern assignment", ["const o = { x: 1, y: { z: 2 } };", "let x, z;", "({ x, y: { z } } = o);", "x + z"], 3],
  ["for-of and for-in into another cell's let", ["let n = 0, k;", "for (n of [1, 2, 3]) {}\nfor (k in { p: 1 }) {}", "[n, k]"], [3, "p"]],
  ["compound and logical assignment", ["let q = 1, u;", "q++; q += 2; q **= 2;\nu ??= 5; u ||= 6; u &&= 7;", "[q, u]"], [16, 7]],
  ["named function expression", ["const f = function g(n: number): number { return n ? g(n - 1) + 1 : 0; };", "f(3)"], 3],
  ["arguments inside a function", ["function count() { return arguments.length; }", "count(1, 2, 3)"], 3],
  ["labels", ["let t = 0;", "outer: for (let i = 0; i < 3; i++) { for (;;) { t++; continue outer; } }", "t"], 3],
  ["var in a catch block", ["try { throw new Error('e'); } catch ({ message }) { var caught = message; }", "caught"], "e"],
  ["shorthand and computed keys", ["const sym = Symbol('s');", "const obj = { [sym]: 1, sym };", "obj[sym] + (obj.sym === sym ? 1 : 0)"], 2],
  ["tagged template", ["const tag = (s: TemplateStringsArray, ...v: number[]) => s.raw.join('|') + v.join(',');", "const w = 3;", "tag`a${w}b${w + 1}`"], "a|b|3,4"],
  ["async generator", ["async function* gen() { yield 1; yield 2; }", "let sum = 0;\nfor await (const v of gen()) sum += v;", "sum"], 3],
  ["shadowing in a block", ["const x1 = 1;", "{ const x1 = 2; }", "x1"], 1],
  ["default parameter from a later cell", ["const pick = (x = fallback) => x;", "const fallback = 4;", "pick()"], 4],
  ["class with private and static members", ["class A { static s = 1; #p = 2; get p() { return this.#p; } }", "A.s + new A().p"], 3],
  ["enum", ["enum Color { Red = 'r', Green = 'g' }", "Color.Green"], "g"],
];

describe("cells behave like one script", () => {
  it.each(SCRIPTS)("%s", async (_, cells, expected) => {
    const scope = createScope();
    let result = {};
    for (const [i, source] of cells.entries()) {
      result = await run(scope, `c${i}`, source);
      expect(result).not.toHaveProperty("error");
    }
    expect(result).toEqual({ value: expected });
  });
});

describe("errors as data", () => {
  it("points a throw on line 3 at line 3, and the column past removed types", async () => {
    const { error } = await run(createScope(), "a", "const a: number = 1;\nconst b: string = 'x';\nconst c: number = a; throw new Error('boom');");
    expect(error).toMatchObject({ name: "Error", message: "boom", line: 3, column: 28 });
  });

  it("points at the cell's own line when the error is thrown in a function it calls", async () => {
    const scope = createScope();
    await run(scope, "a", "function fail(): never {\n  throw new RangeError('deep');\n}");
    const { error } = await run(scope, "b", "let x = 0;\n\nfail();");
    expect(error).toMatchObject({ name: "RangeError", line: 3, column: 1 });
    expect(error?.stack).toContain("cell-a.js:2");
  });

  it("reports a reference to an undefined name at its place", async () => {
    const { error } = await run(createScope(), "a", "const n = 1;\nconst m: number = n + missing;");
    expect(error).toMatchObject({ name: "ReferenceError", message: "missing is not defined", line: 2, column: 23 });
  });

  it("reports a syntax error's line without running anything", async () => {
    const scope = createScope();
    const { error } = await run(scope, "a", "const ran = true;\nconst broken = (1 + ;\n");
    expect(error).toMatchObject({ name: "SyntaxError", line: 2 });
    expect((await run(scope, "b", "typeof ran")).value).toBe("undefined");
  });

  it("answers an import with the names a cell has instead", async () => {
    const scope = createScope(globals);
    const { error } = await run(scope, "a", "\nimport { range } from 'lodash';", { show: () => {}, log: () => {} });
    expect(error).toMatchObject({ name: "ImportError", line: 2, column: 1 });
    expect(error?.message).toBe(
      `Cells cannot import modules ("lodash"). Every cell sees these names without importing: tf, gan, show, log. ` +
        "(For types, `import type` is fine.)",
    );
  });

  it("names the cell in the stack and leaves out the runner's frames", async () => {
    const { error } = await run(createScope(), "my-cell", "\nnull!.x;");
    expect(error?.stack).toMatch(/cell-my-cell\.js:2:\d+\)?$/);
  });

  it("turns a thrown non-Error into data", async () => {
    expect((await run(createScope(), "a", "throw 'plain';")).error).toEqual({ name: "Uncaught", message: "plain" });
    expect((await run(createScope(), "a", "throw { code: 3 };")).error).toEqual({ name: "Uncaught", message: '{"code":3}' });
  });

  it("keeps names bound before the error", async () => {
    const scope = createScope();
    await run(scope, "a", "const before = 1;\nthrow new Error('x');\nconst after = 2;");
    expect((await run(scope, "b", "before")).value).toBe(1);
    expect((await run(scope, "c", "after")).error?.message).toMatch(/before initialization/);
  });
});
