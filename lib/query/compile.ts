// Turns a parsed query into a predicate over runs. Pure and browser-safe: the runs table can filter on the client
// with the same rules the API applies.
import { parseQuery, type Field, type Literal, type QueryNode } from "./parse";

/** What a query reads from a run: the fields of the tracker's RunView it names. */
export interface QueryableRun {
  id: string;
  experimentId?: string;
  name: string;
  status: string;
  hparams: Record<string, unknown>;
  seed: number | null;
  backend: string | null;
  durationMs: number;
  startedAt: string;
  endedAt?: string | null;
  /** the queued sweep the run is a job of, as RunView has it */
  sweep?: { id: string } | null;
  lastMetrics: Record<string, { value: number | null }>;
}

/** A field's value on a run; undefined when the run does not have it (a param or metric never recorded). */
export function fieldValue(run: QueryableRun, field: Field): unknown {
  switch (field.kind) {
    case "param":
      return param(run.hparams, field.path);
    case "metric":
      return Object.hasOwn(run.lastMetrics, field.key) ? run.lastMetrics[field.key].value : undefined;
    case "attr":
      switch (field.name) {
        case "id":
          return run.id;
        case "name":
          return run.name;
        case "status":
          return run.status;
        case "backend":
          return run.backend;
        case "experiment":
          return run.experimentId;
        case "seed":
          return run.seed;
        case "duration":
          return run.durationMs / 1000;
        case "started":
          return run.startedAt;
        case "ended":
          return run.endedAt ?? null;
        case "sweep":
          return run.sweep?.id ?? null;
      }
  }
}

/** Walks nested objects (params.g.lr); keys holding dots ({"g.lr": …}, {g: {"z.dim": …}}) are found too. */
function param(value: unknown, path: string[]): unknown {
  if (!path.length) return value;
  if (value === null || typeof value !== "object") return undefined;
  for (let n = 1; n <= path.length; n++) {
    const key = path.slice(0, n).join(".");
    if (!Object.hasOwn(value, key)) continue;
    const found = param((value as Record<string, unknown>)[key], path.slice(n));
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * One comparison. The rules:
 *  - a missing field (param or metric never recorded) matches only `= null`; everything else is false, `!=` too;
 *  - `= null` also matches a stored null (a diverged metric, a run without a backend), `!= null` any other value;
 *  - values of different types are not equal and do not order: `params.lr = "2e-4"` is false for the number 2e-4
 *    (and `!=` true);
 *  - `<`, `>`… order numbers by value and text by code unit (ISO dates order correctly);
 *  - `~` is a case-insensitive "contains" on text; false on anything else.
 */
export function compare(actual: unknown, op: string, expected: Literal): boolean {
  if (expected === null) {
    const isNull = actual === null || actual === undefined;
    return op === "=" ? isNull : !isNull;
  }
  if (actual === undefined || actual === null) return false;
  const sameType =
    typeof actual === typeof expected && (typeof actual === "string" || typeof actual === "number" || typeof actual === "boolean");
  switch (op) {
    case "=":
      return sameType && actual === expected;
    case "!=":
      return !sameType || actual !== expected;
    case "~":
      return typeof actual === "string" && actual.toLowerCase().includes((expected as string).toLowerCase());
  }
  if (!sameType || typeof actual === "boolean") return false;
  const [a, b] = [actual as number | string, expected as number | string];
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
  return false;
}

export function evaluate(node: QueryNode, run: QueryableRun): boolean {
  switch (node.kind) {
    case "and":
      return evaluate(node.left, run) && evaluate(node.right, run);
    case "or":
      return evaluate(node.left, run) || evaluate(node.right, run);
    case "not":
      return !evaluate(node.operand, run);
    case "compare":
      return compare(fieldValue(run, node.field), node.op, node.value);
  }
}

/** Parses once and answers a predicate; blank text matches every run. Throws QueryError for a bad query. */
export function compileQuery(text: string): (run: QueryableRun) => boolean {
  const ast = parseQuery(text);
  return ast ? (run) => evaluate(ast, run) : () => true;
}
