// The notebook's shared scope and the running of one compiled cell in it (see transpile.ts for the semantics).
// No DOM, no Worker: the kernel wraps this; tests run it in Node.
import type { CellErrorData } from "./protocol";
import { mapErrorLocation, sourceUrl, type CompiledCell, type CompileResult } from "./transpile";

export interface NotebookScope {
  /** The cells' top-level names: accessors onto the locals of the run that declared them. No prototype. */
  readonly vars: Record<string, unknown>;
  /** Which cell declared each name, so a re-run drops the names its cell no longer declares. */
  readonly owners: Map<string, string>;
  /** Names every cell sees (tf, gan): read-only, and a cell's own declaration of the same name wins. */
  readonly globals: Readonly<Record<string, unknown>>;
}

/** What a cell's run gave: the value of its last expression statement, or its error as data. */
export interface CellResult {
  value?: unknown;
  error?: CellErrorData;
}

type Binding = [name: string, get: () => unknown, set?: (value: unknown) => void];

export function createScope(globals: Record<string, unknown> = {}): NotebookScope {
  return { vars: Object.create(null) as Record<string, unknown>, owners: new Map(), globals: { ...globals } };
}

/** The names a cell can use without declaring them, for the error an `import` gets (compileCell's `available`). */
export function availableNames(scope: NotebookScope, api: Record<string, unknown> = {}): string[] {
  return [...new Set([...Object.keys(scope.globals), ...Object.keys(api)])];
}

/** Forget the names a cell declared (the cell was deleted). */
export function deleteCellNames(scope: NotebookScope, cellId: string, keep: ReadonlySet<string> = new Set()): void {
  for (const [name, owner] of scope.owners) {
    if (owner === cellId && !keep.has(name)) {
      delete scope.vars[name];
      scope.owners.delete(name);
    }
  }
}

/**
 * Run a compiled cell. `api` holds this run's cell functions (show, log, progress, signal, …); closures the cell
 * creates keep them, so output from a callback still goes to this run. Never throws: errors come back as data.
 */
export async function runCell(
  scope: NotebookScope,
  compiled: CompileResult,
  api: Record<string, unknown> = {},
): Promise<CellResult> {
  if (!compiled.ok) return { error: compiled.error };
  let fn: (scope: unknown, soft: unknown, bind: (bindings: Binding[]) => void) => Promise<unknown>;
  try {
    // Indirect eval: global scope, so the cell sees none of this module's names; the code is strict by itself.
    fn = (0, eval)(compiled.code);
  } catch (e) {
    return { error: errorData(e, compiled) };
  }
  deleteCellNames(scope, compiled.id, new Set(compiled.declares.map((d) => d.name)));
  const bind = (bindings: Binding[]) => {
    for (const [name, get, set = assignConst] of bindings) {
      Object.defineProperty(scope.vars, name, { get, set, enumerable: true, configurable: true });
      scope.owners.set(name, compiled.id);
    }
  };
  try {
    return { value: await fn.call(undefined, lookup(scope, api, true), lookup(scope, api, false), bind) };
  } catch (e) {
    return { error: errorData(e, compiled) };
  }
}

// The object behind `__scope.x`: the cells' names first, then this run's API, the kernel's globals, globalThis.
// `strict` for reads, where a missing name is a ReferenceError; not for typeof, where it is undefined.
function lookup(scope: NotebookScope, api: Record<string, unknown>, strict: boolean): object {
  const { vars, globals } = scope;
  function get(_: object, name: string | symbol): unknown {
    if (typeof name === "symbol") return undefined;
    if (Object.hasOwn(vars, name)) return vars[name];
    if (Object.hasOwn(api, name)) return api[name];
    if (Object.hasOwn(globals, name)) return globals[name];
    if (name in globalThis) return (globalThis as Record<string, unknown>)[name];
    if (strict) fail(new ReferenceError(`${name} is not defined`), get);
    return undefined;
  }
  function set(_: object, name: string | symbol, value: unknown): boolean {
    if (typeof name === "symbol") return false;
    if (Object.hasOwn(vars, name)) {
      if (Object.getOwnPropertyDescriptor(vars, name)?.set === assignConst) fail(constError(), set);
      vars[name] = value;
    } else if (Object.hasOwn(api, name) || Object.hasOwn(globals, name)) fail(constError(), set);
    else if (name in globalThis) (globalThis as Record<string, unknown>)[name] = value;
    else fail(new ReferenceError(`${name} is not defined`), set); // strict mode: no implicit globals
    return true;
  }
  return new Proxy(Object.create(null) as object, { get, set });
}

const constError = () => new TypeError("Assignment to constant variable.");

function assignConst(): never {
  throw constError();
}

/** Throw with the stack starting at the cell's frame (where the engine can), as the engine's own error would. */
function fail(error: Error, trap: (...args: never[]) => unknown): never {
  Error.captureStackTrace?.(error, trap);
  throw error;
}

function errorData(e: unknown, cell: CompiledCell): CellErrorData {
  if (!(e instanceof Error)) {
    return { name: "Uncaught", message: typeof e === "string" ? e : safeJson(e) };
  }
  const data: CellErrorData = { name: e.name, message: e.message, ...mapErrorLocation(e, cell) };
  if (e.stack) data.stack = trimStack(e.stack, cell);
  return data;
}

/** The stack down to this cell's outermost frame: the runner's own frames below it say nothing to the reader. */
function trimStack(stack: string, cell: CompiledCell): string {
  const lines = stack.split("\n");
  const url = sourceUrl(cell.id);
  let last = -1;
  lines.forEach((l, i) => {
    if (l.includes(url)) last = i;
  });
  return last < 0 ? stack : lines.slice(0, last + 1).join("\n");
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
