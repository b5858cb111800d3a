// Turns one TypeScript cell into a script that runCell (scope.ts) evaluates: sucrase strips the types (keeping every
// line where it was), acorn finds the top-level declarations and the free names, and a few insertions make the cell
//
//   (async function (__scope, __typeof, __bind) { "use strict"; __bind([…]); <the cell's code, line for line>
//   })
//
// Scope semantics (why: a notebook must behave like one script that can be re-run piece by piece):
// - The cell's top-level declarations (const, let, var, function, class, destructuring included) stay real locals of
//   its function, so hoisting, the temporal dead zone and const behave exactly as in JS within the cell.
// - __bind publishes each of them on the shared scope as a live accessor to that local: later cells read the current
//   value, an assignment from another cell updates the local (so the declaring cell's closures see it), and
//   assigning to a const throws "TypeError: Assignment to constant variable.". Re-running a cell binds the names to
//   the new run's locals.
// - Every free name (declared nowhere in the cell and not a standard JS builtin) becomes `__scope.name`, looked up
//   when that code runs: other cells' names, then the cell API and the kernel's globals (tf, gan), then globalThis,
//   else "ReferenceError: name is not defined". Being looked up late, a function may use a name a later cell defines.
// - Copying other cells' values into locals at the start (and writing them back at the end) was rejected: a closure
//   from cell 1 and the code of cell 2 would each see their own stale copy.
// The edits add no line, so a line of the generated code is the cell's line; columns are mapped back by mapPosition.
import { parse } from "acorn";
import { transform } from "sucrase";
import type { CellErrorData } from "./protocol";
import { analyze, type Loc, type Node } from "./analyze";

export interface CompiledCell {
  ok: true;
  id: string;
  /** The script: one parenthesised async function expression of (scope, typeofScope, bind). */
  code: string;
  /** The cell's top-level names, shared with later cells. */
  declares: { name: string; constant: boolean }[];
  columns: ColumnMap;
}

export interface CompileFailure {
  ok: false;
  id: string;
  error: CellErrorData;
}

export type CompileResult = CompiledCell | CompileFailure;

/** What moved where on each line: the insertions of this module, then sucrase's token moves. Plain data. */
export interface ColumnMap {
  /** [line, column in sucrase's output, characters inserted, characters removed], in order. */
  edits: [number, number, number, number][];
  /** Per line (index line - 1): [column in sucrase's output, column in the TypeScript] for each token. */
  tokens: [number, number][][];
}

export interface CompileOptions {
  id: string;
  /** Names every cell sees without importing, named in the error an `import` gets. */
  available?: readonly string[];
}

export function sourceUrl(id: string): string {
  return `cell-${id.replace(/[^\w-]/g, "_")}.js`;
}

export function compileCell(source: string, options: CompileOptions): CompileResult {
  const { id } = options;
  let js: string;
  let tokens: [number, number][][];
  try {
    const out = transform(source, {
      transforms: ["typescript"],
      disableESTransforms: true, // the kernel runs on current engines: keep class fields, ?., ?? as written
      keepUnusedImports: true, // an import must fail now, not vanish because nothing uses it yet
      sourceMapOptions: { compiledFilename: "cell.js" },
      filePath: "cell.ts",
    });
    js = out.code;
    tokens = decodeMappings(out.sourceMap?.mappings ?? "");
  } catch (e) {
    return { ok: false, id, error: syntaxError(e, (line, col) => ({ line, column: col })) };
  }
  const dropped = droppedNamespace(source, js);
  if (dropped) {
    const message = "TypeScript namespaces are not supported in cells: use an object (`declare namespace` for types).";
    return { ok: false, id, error: { name: "SyntaxError", message, ...dropped } };
  }
  const at = (line: number, col0: number) => ({ line, column: mapToken(tokens, line, col0) + 1 });
  let program: Node;
  try {
    program = parse(js, { ecmaVersion: "latest", sourceType: "module", locations: true }) as unknown as Node;
  } catch (e) {
    return { ok: false, id, error: syntaxError(e, at) };
  }
  const pos = (node: Node) => at(node.loc.start.line, node.loc.start.column);
  const body = program.body as Node[];
  for (const st of body) {
    if (st.type === "ImportDeclaration") return { ok: false, id, error: importError(st, options, pos(st)) };
    if (st.type.startsWith("Export")) {
      const message = "Cells do not export: their top-level declarations are shared with later cells. Remove `export`.";
      return { ok: false, id, error: { name: "SyntaxError", message, ...pos(st) } };
    }
  }

  const analysis = analyze(program);
  if (analysis.importMeta) {
    const message = "import.meta is not available in cells.";
    return { ok: false, id, error: { name: "SyntaxError", message, ...pos(analysis.importMeta) } };
  }
  const [S, T, B, V] = reservedNames(js, ["__scope", "__typeof", "__bind", "__value"]);
  const declares = [...analysis.top].map(([name, constant]) => ({ name, constant }));
  const binds = declares.map(({ name, constant }) =>
    constant
      ? `[${JSON.stringify(name)}, () => ${name}]`
      : `[${JSON.stringify(name)}, () => ${name}, (${V}) => { ${name} = ${V}; }]`,
  );
  const bind = binds.length ? ` ${B}([${binds.join(", ")}]);` : "";
  // The prologue first: it must stay ahead of a "return (" inserted at offset 0 (the sort below is stable).
  const prologue = `(async function (${S}, ${T}, ${B}) { "use strict";${bind} `;
  const edits: Edit[] = [{ start: 0, end: 0, at: { line: 1, column: 0 }, text: prologue }];
  for (const { node, use } of analysis.free) {
    const name = node.name as string;
    const ref = `${use === "typeof" ? T : S}.${name}`;
    // A call through `(0, f)` keeps `this` undefined in f, as a plain call of a declared function would.
    const text = use === "shorthand" ? `${name}: ${ref}` : use === "callee" ? `(0, ${ref})` : ref;
    edits.push({ start: node.start, end: node.end, at: node.loc.start, text });
  }
  // The value of a last expression statement is the cell's value, as in a REPL.
  const last = body[body.length - 1];
  if (last?.type === "ExpressionStatement") {
    // From the statement's start: a parenthesised expression's node starts after its "(".
    const expr = last.expression as Node;
    edits.push({ start: last.start, end: last.start, at: last.loc.start, text: "return (" });
    edits.push({ start: expr.end, end: expr.end, at: expr.loc.end, text: ")" });
  }
  // Zero-width insertions go before a replacement that starts at the same place ("return (" before a name).
  edits.sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start));
  let code = "";
  let from = 0;
  const moves: ColumnMap["edits"] = [];
  for (const e of edits) {
    code += js.slice(from, e.start) + e.text;
    from = e.end;
    moves.push([e.at.line, e.at.column, e.text.length, e.end - e.start]);
  }
  // The closing brace on a line of its own, so that a `//` comment on the cell's last line cannot swallow it.
  code += `${js.slice(from)}\n})\n//# sourceURL=${sourceUrl(id)}`;
  return { ok: true, id, code, declares, columns: { edits: moves, tokens } };
}

/** A 1-based (line, column) of the generated code → the same place in the cell's TypeScript. */
export function mapPosition(map: ColumnMap, line: number, column: number): { line: number; column: number } {
  let col = column - 1;
  let shift = 0;
  for (const [l, c, inserted, removed] of map.edits) {
    if (l !== line) continue;
    const start = c + shift;
    if (col < start) break;
    // Inside inserted text: the place it went in. Right after a rewritten name too: V8 puts a call of
    // `(0, __scope.f)` at its "(", where it puts a call of `f` at the name.
    if (col < start + inserted || (removed > 0 && col === start + inserted)) {
      col = c + shift;
      break;
    }
    shift += inserted - removed;
  }
  return { line, column: mapToken(map.tokens, line, col - shift) + 1 };
}

/** Where in the cell an error happened: its innermost stack frame in this cell (V8, Firefox and Safari formats). */
export function mapErrorLocation(error: unknown, cell: CompiledCell): { line: number; column: number } | undefined {
  const stack = typeof error === "object" && error !== null && "stack" in error ? String(error.stack) : "";
  const url = sourceUrl(cell.id).replace(/[.-]/g, "\\$&");
  const m = new RegExp(`(?:^|[\\s(@/])${url}:(\\d+):(\\d+)`, "m").exec(stack);
  return m ? mapPosition(cell.columns, Number(m[1]), Number(m[2])) : undefined;
}

type Edit = { start: number; end: number; at: Loc; text: string };

// ---- helpers ----

/** The names the wrapper uses, with a numeric suffix if the cell's code already contains one of them. */
function reservedNames(js: string, names: string[]): string[] {
  let n = 0;
  const withSuffix = () => names.map((name) => (n ? `${name}${n}` : name));
  while (withSuffix().some((name) => js.includes(name))) n++;
  return withSuffix();
}

type Where = { line: number; column: number };

/**
 * Sucrase removes a namespace without a word, values and all. A line that opens one in the cell and has no
 * "namespace" left in the output (lines are kept, so the same line) was one, not a comment or a string.
 */
function droppedNamespace(source: string, js: string): Where | undefined {
  const out = js.split("\n");
  const lines = source.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = /^([ \t]*)(?:export[ \t]+)?namespace[ \t]+[\w$.]+[ \t]*\{/.exec(lines[i]);
    if (m && !out[i]?.includes("namespace")) return { line: i + 1, column: m[1].length + 1 };
  }
  return undefined;
}

function syntaxError(e: unknown, at: (line: number, column: number) => Where): CellErrorData {
  const err = e as { name?: string; message?: string; loc?: { line: number; column: number } };
  // Without sucrase's "Error transforming cell.ts: " and the "(line:column)" both parsers append.
  const message = String(err.message ?? e).replace(/^Error transforming [^:]*: /, "").replace(/ \(\d+:\d+\)$/, "");
  // Sucrase reports 1-based columns, acorn 0-based; the callers adjust.
  const where = err.loc ? at(err.loc.line, err.loc.column) : {};
  return { name: err.name === "SyntaxError" || !err.name ? "SyntaxError" : err.name, message, ...where };
}

function importError(st: Node, options: CompileOptions, where: Where): CellErrorData {
  const from = JSON.stringify((st.source as Node).value);
  const available = options.available ?? ["tf", "gan"];
  const locals = (st.specifiers as Node[]).map((s) => (s.local as Node).name as string);
  if (locals.length > 0 && locals.every((n) => available.includes(n))) {
    const names = `${locals.join(", ")} ${locals.length > 1 ? "are" : "is"}`;
    const message = `Cells do not import: ${names} already available in every cell. Remove the import of ${from}.`;
    return { name: "ImportError", message, ...where };
  }
  const message =
    `Cells cannot import modules (${from}). Every cell sees these names without importing: ${available.join(", ")}.` +
    " (For types, `import type` is fine.)";
  return { name: "ImportError", message, ...where };
}

// Sucrase's source map (base64 VLQ) → per line, [generated column, source column] of each token. Sucrase keeps
// lines, so the line fields are not needed.
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function decodeMappings(mappings: string): [number, number][][] {
  let srcCol = 0;
  return mappings.split(";").map((line) => {
    let genCol = 0;
    const segs: [number, number][] = [];
    for (const seg of line ? line.split(",") : []) {
      const f = decodeVlq(seg);
      genCol += f[0];
      if (f.length >= 4) srcCol += f[3];
      segs.push([genCol, srcCol]);
    }
    return segs;
  });
}

function decodeVlq(seg: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of seg) {
    const digit = B64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = shift = 0;
    }
  }
  return out;
}

/** A 0-based column of sucrase's output → 0-based column of the TypeScript on the same line. */
function mapToken(tokens: [number, number][][], line: number, col: number): number {
  const segs = tokens[line - 1] ?? [];
  let best: [number, number] | undefined;
  for (const s of segs) if (s[0] <= col) best = s;
  return best ? best[1] + (col - best[0]) : col;
}
