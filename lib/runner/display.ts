// Turns whatever a cell shows (show(value), or its last expression) into one output record: text, markdown, a GIF
// of a video tensor, a tensor summary, a table, a Plotly figure or bounded JSON. Runs in the kernel's Web Worker
// and in Node, so it uses no DOM and no Node-only modules.
import * as tf from "@tensorflow/tfjs-core";
import { videoToGif } from "../gan/video";
import type { JsonValue } from "./protocol";

export const MIME = {
  text: "text/plain",
  markdown: "text/markdown",
  gif: "image/gif",
  png: "image/png",
  json: "application/json",
  plotly: "application/vnd.plotly.v1+json",
  tensor: "application/vnd.zoetrope.tensor+json",
  table: "application/vnd.zoetrope.table+json",
} as const;

export interface DisplayOptions {
  /** Frames per second of a video tensor's GIF (default 8). */
  fps?: number;
  /** tensors: treat as video even if ambiguous */
  as?: "video" | "tensor";
}

export interface Displayed {
  mime: string;
  data: string | Uint8Array | JsonValue;
}

/** Non-finite statistics are strings ("NaN", "Infinity", "-Infinity"), since JSON has no such numbers. */
type Stat = number | string | null;

/** A type alias, not an interface, so that it is itself a JsonValue. */
export type TensorSummary = {
  shape: number[];
  dtype: string;
  size: number;
  min: Stat; // over the non-NaN values; null when there are none
  max: Stat;
  mean: Stat;
  std: Stat; // population standard deviation
  nan: number; // how many values are NaN
  values: JsonValue; // nested like the shape, or the first PREVIEW flat values when truncated
  truncated: boolean;
};

export type Table = { columns: string[]; rows: JsonValue[][] };

const DEFAULT_FPS = 8;
const MAX_NESTED = 1000; // summaries list every value up to this size...
const PREVIEW = 100; // ...and only this many beyond it
const MAX_ROWS = 10_000;
const MAX_TEXT = 2000;

const GIF_MAGIC = [0x47, 0x49, 0x46, 0x38]; // "GIF8"
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

// Records made by helpers here (markdown) pass through display untouched; a user's own {mime, data} does not.
const made = new WeakSet<object>();

export function markdown(text: string): Displayed {
  const out: Displayed = { mime: MIME.markdown, data: String(text) };
  made.add(out);
  return out;
}

export async function display(value: unknown, opts: DisplayOptions = {}): Promise<Displayed> {
  if (typeof value === "string") return { mime: MIME.text, data: value };
  if (typeof value !== "object" || value === null) return { mime: MIME.text, data: formatValue(value) };
  if (made.has(value)) return value as Displayed;
  if (value instanceof tf.Tensor) return displayTensor(value, opts);
  if (value instanceof Uint8Array) {
    // Copy: the cell may reuse its buffer after show(), and a Node Buffer becomes a plain Uint8Array.
    if (startsWith(value, GIF_MAGIC)) return { mime: MIME.gif, data: new Uint8Array(value) };
    if (startsWith(value, PNG_MAGIC)) return { mime: MIME.png, data: new Uint8Array(value) };
  }
  if (isNumericTypedArray(value)) {
    return { mime: MIME.tensor, data: summarize(value, [value.length], typedArrayDtype(value)) };
  }
  if (Array.isArray(value) && value.length > 0) {
    if (value.every((v) => typeof v === "number")) {
      return { mime: MIME.tensor, data: summarize(value, [value.length], "float64") };
    }
    if (value.length <= MAX_ROWS && value.every(isPlainObject)) return { mime: MIME.table, data: recordsTable(value) };
    if (value.length <= MAX_ROWS && value.every((r) => Array.isArray(r) || isNumericTypedArray(r))) {
      return { mime: MIME.table, data: matrixTable(value) };
    }
  }
  if (value instanceof Map && value.size <= MAX_ROWS) {
    return { mime: MIME.table, data: { columns: ["key", "value"], rows: [...value].map(([k, v]) => [cell(k), cell(v)]) } };
  }
  if (isPlotlyFigure(value)) return { mime: MIME.plotly, data: toJsonSafe(value, FIGURE) };
  return { mime: MIME.json, data: toJsonSafe(value, BOUNDED) };
}

async function displayTensor(t: tf.Tensor, opts: DisplayOptions): Promise<Displayed> {
  // A disposed tensor still knows its shape and dtype, but its values are gone: say so rather than throw.
  if (t.isDisposed) return { mime: MIME.text, data: formatValue(t) };
  const videoShaped = (t.rank === 4 || t.rank === 5) && [1, 3].includes(t.shape[t.rank - 1]) && t.size > 0;
  if (opts.as === "video" && (!videoShaped || t.dtype === "string" || t.dtype === "complex64")) {
    throw new Error(`cannot show ${tensorLabel(t)} as a video: expected numbers shaped [T,H,W,C] or [B,T,H,W,C], C = 1 or 3`);
  }
  if (opts.as === "video" || (opts.as !== "tensor" && videoShaped && t.dtype === "float32")) {
    const fps = opts.fps ?? DEFAULT_FPS;
    if (!(fps > 0 && Number.isFinite(fps))) throw new Error(`fps must be a positive number, got ${fps}`);
    // videoToGif reads the values itself (clamping anything outside [-1, 1]) and leaves the tensor to the cell.
    const gif = await videoToGif(t as tf.Tensor4D | tf.Tensor5D, { delayMs: 1000 / fps });
    return { mime: MIME.gif, data: gif };
  }
  return { mime: MIME.tensor, data: await summarizeTensor(t) };
}

/** Shape, statistics and (some of) the values of a tensor. Reads with data(), so it creates no tensors. */
export async function summarizeTensor(t: tf.Tensor): Promise<TensorSummary> {
  return summarize(await t.data(), t.shape, t.dtype);
}

function summarize(data: ArrayLike<number | string>, shape: number[], dtype: string): TensorSummary {
  const size = shape.reduce((a, b) => a * b, 1);
  const truncated = size > MAX_NESTED;
  const flat = elements(data, dtype, truncated ? PREVIEW : size);
  const numeric = dtype !== "string" && dtype !== "complex64"; // no single min/max/mean for these
  return {
    shape: [...shape],
    dtype,
    size,
    ...(numeric ? stats(data as ArrayLike<number>) : { min: null, max: null, mean: null, std: null, nan: 0 }),
    values: truncated ? flat : nest(flat, shape),
    truncated,
  };
}

function stats(data: ArrayLike<number>): Pick<TensorSummary, "min" | "max" | "mean" | "std" | "nan"> {
  let n = 0;
  let nan = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (Number.isNaN(v)) {
      nan++;
      continue;
    }
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (n === 0) return { min: null, max: null, mean: null, std: null, nan };
  const mean = sum / n;
  let squares = 0; // a second pass: sum((v - mean)²) does not cancel the way sum(v²) - n·mean² can
  for (let i = 0; i < data.length; i++) if (!Number.isNaN(data[i])) squares += (data[i] - mean) ** 2;
  return { min: jsonNumber(min), max: jsonNumber(max), mean: jsonNumber(mean), std: jsonNumber(Math.sqrt(squares / n)), nan };
}

/** The first `count` elements as JSON: bools as booleans, complex numbers as [re, im] (data() interleaves them). */
function elements(data: ArrayLike<number | string>, dtype: string, count: number): JsonValue[] {
  const out: JsonValue[] = [];
  for (let i = 0; i < count; i++) {
    if (dtype === "complex64") out.push([jsonNumber(data[2 * i] as number), jsonNumber(data[2 * i + 1] as number)]);
    else if (dtype === "bool") out.push(data[i] !== 0);
    else out.push(typeof data[i] === "string" ? data[i] : jsonNumber(data[i] as number));
  }
  return out;
}

function nest(flat: JsonValue[], shape: number[]): JsonValue {
  if (shape.length === 0) return flat[0];
  const [n, ...rest] = shape;
  const step = rest.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => nest(flat.slice(i * step, (i + 1) * step), rest));
}

// ---- tables ----

function recordsTable(records: Record<string, unknown>[]): Table {
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))]; // a Set keeps first-seen order
  return { columns, rows: records.map((r) => columns.map((c) => (c in r ? cell(r[c]) : null))) };
}

function matrixTable(matrix: ArrayLike<unknown>[]): Table {
  const width = Math.max(...matrix.map((r) => r.length));
  const columns = Array.from({ length: width }, (_, i) => String(i));
  return { columns, rows: matrix.map((r) => columns.map((_, i) => (i < r.length ? cell(r[i]) : null))) };
}

/** A cell starts two levels down, so what it nests shares the same depth limit as everything else. */
function cell(v: unknown): JsonValue {
  return walk(v, BOUNDED, 2, new Set()) ?? null;
}

// ---- Plotly ----

const FIGURE_KEYS = new Set(["data", "layout", "config", "frames"]);

/** {data: traces, layout?, config?} and nothing else, where each trace plots something (a type or coordinates). */
function isPlotlyFigure(v: object): boolean {
  if (!isPlainObject(v) || !Object.keys(v).every((k) => FIGURE_KEYS.has(k))) return false;
  const { data, layout, config } = v;
  const isTrace = (t: unknown) => isPlainObject(t) && ["type", "x", "y", "z", "values"].some((k) => k in t);
  return Array.isArray(data) && data.length > 0 && data.every(isTrace) && [layout, config].every((o) => o === undefined || isPlainObject(o));
}

// ---- JSON-safe walk ----

interface WalkLimits {
  depth: number; // containers this deep become "[Object]" / "[Array(n)]"
  items: number; // keys per object, items per array; the rest become one "…N more" marker
  nonFinite: "string" | "null";
}

const BOUNDED: WalkLimits = { depth: 6, items: 200, nonFinite: "string" };
// Figures keep every point (a trace may have thousands) and NaN as null, which Plotly draws as a gap.
const FIGURE: WalkLimits = { depth: 32, items: Infinity, nonFinite: "null" };

function toJsonSafe(value: unknown, limits: WalkLimits): JsonValue {
  return walk(value, limits, 0, new Set()) ?? null;
}

/** undefined means "leave out", as JSON.stringify does for undefined properties. */
function walk(v: unknown, limits: WalkLimits, depth: number, ancestors: Set<object>): JsonValue | undefined {
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "number":
      return limits.nonFinite === "null" && !Number.isFinite(v) ? null : jsonNumber(v);
    case "undefined":
      return undefined;
    case "bigint":
    case "symbol":
    case "function":
      return formatValue(v);
  }
  if (v === null) return null;
  if (v instanceof tf.Tensor || v instanceof Date) return formatValue(v);
  if (v instanceof Error) return { name: v.name, message: v.message };
  if (v instanceof ArrayBuffer) return `[ArrayBuffer ${v.byteLength} bytes]`;
  if (v instanceof DataView) return `[DataView ${v.byteLength} bytes]`;
  // Only ancestors count: an object reached twice by different paths is shared, not circular.
  if (ancestors.has(v as object)) return "[Circular]";
  const list = listOf(v as object);
  if (depth >= limits.depth) return list ? `[Array(${list.length})]` : "[Object]";
  ancestors.add(v as object);
  try {
    if (list) {
      const out: JsonValue[] = [];
      const shown = Math.min(list.length, limits.items);
      for (let i = 0; i < shown; i++) out.push(walk(list.at(i), limits, depth + 1, ancestors) ?? null);
      if (list.length > shown) out.push(`…${list.length - shown} more`);
      return out;
    }
    const obj = v as Record<string, unknown>;
    if (typeof obj.toJSON === "function") return walk(obj.toJSON(), limits, depth, ancestors);
    const out: { [key: string]: JsonValue } = {};
    const keys = Object.keys(obj);
    for (const key of keys.slice(0, limits.items)) {
      const item = walk(read(obj, key), limits, depth + 1, ancestors);
      if (item !== undefined) out[key] = item;
    }
    if (keys.length > limits.items) out["…"] = `…${keys.length - limits.items} more`;
    return out;
  } finally {
    ancestors.delete(v as object);
  }
}

/** Arrays, typed arrays, Sets and Maps (as [key, value] pairs) walk as arrays, read by index. */
function listOf(v: object): { length: number; at(i: number): unknown } | null {
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const a = v as ArrayLike<unknown>;
    return { length: a.length, at: (i) => a[i] };
  }
  if (v instanceof Set || v instanceof Map) {
    const items = [...v]; // Map spreads to [key, value] pairs
    return { length: items.length, at: (i) => items[i] };
  }
  return null;
}

/** A throwing getter should not stop the whole output. */
function read(obj: Record<string, unknown>, key: string): unknown {
  try {
    return obj[key];
  } catch (e) {
    return `[threw ${e instanceof Error ? e.message : String(e)}]`;
  }
}

function jsonNumber(v: number): number | string {
  if (Number.isFinite(v)) return v === 0 ? 0 : v; // JSON writes -0 as 0 anyway
  return String(v); // "NaN", "Infinity", "-Infinity"
}

// ---- text ----

/** Console-style text of any value, as console.log would print one argument. */
export function formatValue(value: unknown): string {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "bigint":
      return `${value}n`;
    case "symbol":
      return value.toString();
    case "function":
      return `[Function ${value.name || "(anonymous)"}]`;
    case "boolean":
    case "undefined":
      return String(value);
  }
  if (value === null) return "null";
  if (value instanceof tf.Tensor) return tensorLabel(value);
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  const json = JSON.stringify(toJsonSafe(value, BOUNDED));
  return json.length > MAX_TEXT ? `${json.slice(0, MAX_TEXT)}…` : json;
}

function tensorLabel(t: tf.Tensor): string {
  return `Tensor ${t.dtype} [${t.shape.join(",")}]${t.isDisposed ? " (disposed)" : ""}`;
}

// ---- helpers ----

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

type NumericTypedArray = Exclude<ArrayBufferView, DataView | BigInt64Array | BigUint64Array> & ArrayLike<number>;

function isNumericTypedArray(v: unknown): v is NumericTypedArray {
  return ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);
}

/** Float32Array → "float32", Uint8ClampedArray → "uint8clamped". */
function typedArrayDtype(v: NumericTypedArray): string {
  return (v as unknown as { [Symbol.toStringTag]: string })[Symbol.toStringTag].replace(/Array$/, "").toLowerCase();
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}
