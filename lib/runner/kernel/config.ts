// `config(defaults)`: overrides applied by dotted key and checked against the default's type, so `--set lr=3e-4`
// gives a number and `--set lr=fast` is an error rather than a string in a numeric hyperparameter.
import type { ConfigValue } from "../cell-api";
import type { JsonValue } from "../protocol";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** `--set` values: JSON where they parse as JSON (numbers, booleans, arrays, quoted strings), else the text. */
export function parseOverride(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** "a=1 b=x" pairs (`--set a=1`) → overrides. */
export function parseAssignment(assignment: string): [string, JsonValue] {
  const eq = assignment.indexOf("=");
  if (eq <= 0) throw new ConfigError(`expected key=value, got "${assignment}"`);
  return [assignment.slice(0, eq).trim(), parseOverride(assignment.slice(eq + 1))];
}

/**
 * `defaults` with the overrides whose (dotted) keys it has. Returns the merged copy and the override keys used.
 * A key the defaults lack is left for another `config` call; the caller reports the ones no call used.
 */
export function applyOverrides<T extends Record<string, ConfigValue>>(
  defaults: T,
  overrides: Readonly<Record<string, JsonValue>>,
): { values: T; used: string[] } {
  const values = structuredClone(defaults);
  const used: string[] = [];
  for (const [key, value] of Object.entries(overrides)) {
    const path = key.split(".");
    let parent: Record<string, ConfigValue> = values;
    for (const part of path.slice(0, -1)) {
      const next = Object.hasOwn(parent, part) ? parent[part] : undefined;
      if (!isRecord(next)) {
        parent = {};
        break;
      }
      parent = next;
    }
    const leaf = path[path.length - 1];
    if (!Object.hasOwn(parent, leaf)) continue;
    parent[leaf] = coerce(key, parent[leaf], value);
    used.push(key);
  }
  return { values, used };
}

/** The override as the default's type: a number stays a number, a string a string. */
function coerce(key: string, current: ConfigValue, value: JsonValue): ConfigValue {
  const want = kind(current);
  const got = kind(value);
  if (want === got || current === null) return value;
  if (want === "number" && got === "string") {
    const n = Number(value);
    if (String(value).trim() !== "" && !Number.isNaN(n)) return n;
  }
  if (want === "string" && (got === "number" || got === "boolean")) return String(value);
  if (want === "boolean" && (value === "true" || value === "false")) return value === "true";
  throw new ConfigError(`${key}: expected a ${want} like the default ${JSON.stringify(current)}, got ${JSON.stringify(value)}`);
}

function kind(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

const isRecord = (v: unknown): v is Record<string, ConfigValue> => kind(v) === "object";

/** Every `config` call's values merged (a later call's keys win), for the run's hyperparameters. */
export function mergeHparams(into: Record<string, JsonValue>, values: Record<string, ConfigValue>): Record<string, JsonValue> {
  return { ...into, ...(structuredClone(values) as Record<string, JsonValue>) };
}
