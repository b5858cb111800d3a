// JSON from outside (request bodies, a bundle's run.json, a checkpoint's model.json) checked before anything stores
// or walks it: nesting bounded on the text itself, before parsing or any recursion; strings well-formed Unicode (a
// lone UTF-16 surrogate cannot be written as UTF-8, so it would not read back) without NUL (PostgreSQL's text cannot
// hold U+0000; refused on SQLite too, so both trackers store the same); no `__proto__` key (a plain object cannot
// hold one, so it would vanish without a word).
import { ApiError, invalid } from "./errors";

/**
 * Far deeper than any hyperparameter object or TF.js model topology (about 10 levels), far shallower than what
 * overflows the stack of the recursive code that later prints the value (JSON.stringify, React).
 */
export const MAX_JSON_DEPTH = 64;

const LONE_SURROGATE = /\p{Cs}/u;

/** True when `s` holds a UTF-16 surrogate without its pair (in a /u regex, paired ones read as one code point). */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s);
}

/** Why `s` cannot be stored as text and read back the same, or null. */
export function unstorableText(s: string): string | null {
  if (hasLoneSurrogate(s)) return "an unpaired UTF-16 surrogate";
  if (s.includes("\u0000")) return "a NUL character (U+0000)";
  return null;
}

/** True when JSON text nests arrays and objects deeper than `max`; a scan of the text, so it cannot overflow. */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string: up to the next quote that no backslash escapes.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

export type JsonProblemKind = "depth" | "text" | "key" | "number";

export interface JsonProblem {
  kind: JsonProblemKind;
  /** keys and indices down to the offending value or key; empty for the value itself */
  path: (string | number)[];
  message: string;
}

type Walk = { maxDepth: number; finite: boolean };

/** A problem with one leaf value (never an object or array), or null. */
function leafProblem(v: unknown, path: (string | number)[], opts: Walk): JsonProblem | null {
  const bad = typeof v === "string" ? unstorableText(v) : null;
  if (bad) return { kind: "text", path, message: `text with ${bad} cannot be stored` };
  if (typeof v === "number" && opts.finite && !Number.isFinite(v)) {
    return { kind: "number", path, message: `${v} cannot be stored as JSON` };
  }
  return null;
}

/**
 * The first part of a value that could not be stored and read back the same, or null. Iterative, so any depth is
 * safe to walk; past `maxDepth` (or at a cycle, in a value built in code) it stops with a "depth" problem. With
 * `finite`, numbers JSON cannot hold (NaN, ±Infinity: they would print as null) are problems too.
 */
export function unstorable(value: unknown, options: { maxDepth?: number; finite?: boolean } = {}): JsonProblem | null {
  const opts: Walk = { maxDepth: options.maxDepth ?? MAX_JSON_DEPTH, finite: options.finite ?? false };
  if (value === null || typeof value !== "object") return leafProblem(value, [], opts);
  // Only objects and arrays go on the stack; leaves are checked where they are met.
  const stack: { value: object; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length) {
    const { value: v, path } = stack.pop()!;
    if (path.length >= opts.maxDepth) return { kind: "depth", path, message: `nested deeper than ${opts.maxDepth} levels` };
    const visit = (key: string | number, child: unknown): JsonProblem | null => {
      if (child !== null && typeof child === "object") {
        stack.push({ value: child, path: [...path, key] });
        return null;
      }
      const problem = leafProblem(child, path, opts);
      return problem && { ...problem, path: [...path, key] };
    };
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const problem = visit(i, v[i]);
        if (problem) return problem;
      }
      continue;
    }
    for (const key of Object.keys(v)) {
      const badKey = unstorableText(key);
      if (badKey) return { kind: "text", path, message: `a key with ${badKey} cannot be stored` };
      if (key === "__proto__") return { kind: "key", path: [...path, key], message: "the key __proto__ is reserved" };
      const problem = visit(key, (v as Record<string, unknown>)[key]);
      if (problem) return problem;
    }
  }
  return null;
}

/** The API's answer to a problem: text and depth are malformed input (400), a reserved key is invalid input (422). */
export function problemError(p: JsonProblem, where = ""): ApiError {
  const path = [where, ...p.path].filter((part) => part !== "").join(".");
  const message = `${path || "body"}: ${p.message}`;
  switch (p.kind) {
    case "text":
      return new ApiError(400, "malformed_text", message);
    case "depth":
      return new ApiError(400, "too_deep", message);
    case "key":
    case "number":
      return invalid(message, [{ path: path || "body", message: p.message }]);
  }
}

/**
 * Parses untrusted JSON text: too deep → 400 too_deep (before parsing), not JSON → 400 malformed_json, a lone
 * surrogate → 400 malformed_text, a `__proto__` key → 422. `where` names the text in messages ("run.json"). With
 * `finite`, a number JSON cannot hold (1e999 parses as Infinity, and would be stored as null) is a 422 too: every
 * body but a metric batch, whose values may be infinite.
 */
export function parseJsonText(text: string, where = "", opts: { finite?: boolean } = {}): unknown {
  const name = where || "the request body";
  if (jsonTooDeep(text)) throw new ApiError(400, "too_deep", `${name} nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError(400, "malformed_json", `${name} is not valid JSON`);
  }
  const problem = unstorable(value, { finite: opts.finite });
  if (problem) throw problemError(problem, where);
  return value;
}
