// Scope analysis of a cell's JavaScript (acorn's ESTree): what the cell declares at top level and which names it
// uses without declaring them (those transpile.ts rewrites to `__scope.name`).

// Standard JS builtins are left as they are, which keeps hot loops off the scope lookup. Host names (console,
// setTimeout, …) are not here: they go through the scope, so the kernel can give a cell its own console.
// A cell that declares one of these at top level uses its own; later cells still see the builtin.
const BUILTINS = new Set(
  ("undefined NaN Infinity globalThis Object Function Array Number Boolean String Symbol BigInt Date RegExp Promise " +
    "Error AggregateError EvalError RangeError ReferenceError SyntaxError TypeError URIError JSON Math Intl Reflect " +
    "Proxy Map Set WeakMap WeakSet WeakRef FinalizationRegistry ArrayBuffer SharedArrayBuffer DataView Atomics " +
    "Int8Array Uint8Array Uint8ClampedArray Int16Array Uint16Array Int32Array Uint32Array Float32Array Float64Array " +
    "BigInt64Array BigUint64Array parseInt parseFloat isNaN isFinite encodeURI encodeURIComponent decodeURI " +
    "decodeURIComponent eval").split(" "),
);

/** An ESTree node from acorn (with locations), read generically. */
export type Node = { type: string; start: number; end: number; loc: { start: Loc; end: Loc }; [key: string]: unknown };
/** acorn's: 1-based line, 0-based column. */
export type Loc = { line: number; column: number };

class Scope {
  /** name → declared const */
  readonly names = new Map<string, boolean>();
  constructor(readonly parent: Scope | null) {}
  has(name: string): boolean {
    return this.names.has(name) || (this.parent?.has(name) ?? false);
  }
}

const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && typeof (v as Node).type === "string";

function children(node: Node): [string, Node][] {
  const out: [string, Node][] = [];
  for (const key in node) {
    const v = node[key];
    if (Array.isArray(v)) for (const c of v) if (isNode(c)) out.push([key, c]);
    if (isNode(v)) out.push([key, v]);
  }
  return out;
}

function patternNames(p: Node | null, out: string[] = []): string[] {
  if (!p) return out;
  if (p.type === "Identifier") out.push(p.name as string);
  else if (p.type === "ObjectPattern") {
    for (const q of p.properties as Node[]) patternNames(q.type === "RestElement" ? q : (q.value as Node), out);
  }
  else if (p.type === "ArrayPattern") for (const q of p.elements as (Node | null)[]) patternNames(q, out);
  else if (p.type === "RestElement") patternNames(p.argument as Node, out);
  else if (p.type === "AssignmentPattern") patternNames(p.left as Node, out);
  return out;
}

interface FreeRef {
  node: Node;
  /**
   * typeof: its operand is looked up without a ReferenceError (typeof of a missing name is "undefined").
   * shorthand: `{x}` → `{x: __scope.x}`. callee: `f()` → `(0, __scope.f)()`.
   */
  use: "plain" | "typeof" | "shorthand" | "callee";
}

/** The cell's top-level declarations (name → const), its free names, and a use of import.meta. */
export function analyze(program: Node) {
  const top = new Scope(null);
  const scopes = new Map<Node, Scope>([[program, top]]);
  const open = (node: Node, parent: Scope) => {
    const s = new Scope(parent);
    scopes.set(node, s);
    return s;
  };
  // Pass 1: every scope and what it declares, so that pass 2 resolves a use that comes before its declaration.
  const declare = (node: Node, block: Scope, fn: Scope): void => {
    let inner = block;
    let innerFn = fn;
    switch (node.type) {
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression": {
        const id = node.id as Node | null;
        if (node.type === "FunctionDeclaration" && id) block.names.set(id.name as string, false);
        const s = open(node, block);
        if (node.type === "FunctionExpression" && id) s.names.set(id.name as string, false);
        if (node.type !== "ArrowFunctionExpression") s.names.set("arguments", false);
        for (const p of node.params as Node[]) for (const n of patternNames(p)) s.names.set(n, false);
        for (const p of node.params as Node[]) declare(p, s, s);
        // The body block shares the function's scope (a `let` there cannot shadow a parameter anyway).
        const fnBody = node.body as Node;
        if (fnBody.type !== "BlockStatement") declare(fnBody, s, s);
        else for (const [, c] of children(fnBody)) declare(c, s, s);
        return;
      }
      case "ClassDeclaration":
        block.names.set((node.id as Node).name as string, false);
        break;
      case "ClassExpression":
        if (node.id) (inner = open(node, block)).names.set((node.id as Node).name as string, false);
        break;
      case "VariableDeclaration": {
        const constant = !/^(let|var)$/.test(node.kind as string); // const, using, await using
        const target = node.kind === "var" ? fn : block;
        for (const d of node.declarations as Node[]) {
          for (const n of patternNames(d.id as Node)) target.names.set(n, constant);
        }
        break;
      }
      case "StaticBlock":
        inner = innerFn = open(node, block);
        break;
      case "BlockStatement":
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement":
      case "SwitchStatement":
        inner = open(node, block);
        break;
      case "CatchClause":
        inner = open(node, block);
        for (const n of patternNames(node.param as Node | null)) inner.names.set(n, false);
        break;
    }
    for (const [, c] of children(node)) declare(c, inner, innerFn);
  };
  for (const st of program.body as Node[]) declare(st, top, top);

  // Pass 2: the uses of names that no enclosing scope declares.
  const free: FreeRef[] = [];
  const shorthand = new Set<Node>();
  let importMeta: Node | undefined;
  const visit = (node: Node, parent: Node, key: string, scope: Scope): void => {
    scope = scopes.get(node) ?? scope;
    if (node.type === "Identifier") {
      const name = node.name as string;
      if (isReference(parent, key) && !scope.has(name) && !BUILTINS.has(name)) {
        const callee =
          (parent.type === "CallExpression" && key === "callee") ||
          (parent.type === "TaggedTemplateExpression" && key === "tag");
        const soft = parent.type === "UnaryExpression" && parent.operator === "typeof";
        free.push({ node, use: shorthand.has(node) ? "shorthand" : soft ? "typeof" : callee ? "callee" : "plain" });
      }
      return;
    }
    if (node.type === "MetaProperty") {
      if ((node.meta as Node).name === "import") importMeta ??= node;
      return;
    }
    if (node.type === "Property" && node.shorthand) {
      const v = node.value as Node;
      shorthand.add(v.type === "AssignmentPattern" ? (v.left as Node) : v);
    }
    for (const [k, c] of children(node)) visit(c, node, k, scope);
  };
  visit(program, program, "", top);
  return { top: top.names, free, importMeta };
}

function isReference(parent: Node, key: string): boolean {
  switch (parent.type) {
    case "MemberExpression":
      return key !== "property" || Boolean(parent.computed);
    case "Property":
    case "MethodDefinition":
    case "PropertyDefinition":
      return key !== "key" || Boolean(parent.computed);
    case "LabeledStatement":
    case "BreakStatement":
    case "ContinueStatement":
      return key !== "label";
    default:
      return true;
  }
}

