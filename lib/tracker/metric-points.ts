// Turns an ingest body into one sorted Columns per key. Hand-written rather than zod: this runs on every point of
// every batch, and a per-point schema object would cost more than the database write.
import { ApiError, invalid, tooLarge, type ApiIssue } from "./errors";
import { emptyColumns, sortByStep, type Columns } from "./columns";
import { MAX_POINTS_PER_BATCH, isPlainKey } from "./schemas";
import { decodePayload } from "./series-wire";

export interface ParsedBatch {
  batch: number;
  count: number;
  columns: Map<string, Columns>;
}

const MAX_ISSUES = 10;

class Issues {
  list: ApiIssue[] = [];
  add(path: string, message: string) {
    if (this.list.length < MAX_ISSUES) this.list.push({ path, message });
  }
  throwIfAny() {
    if (this.list.length) throw invalid(`${this.list[0].path}: ${this.list[0].message}`, this.list);
  }
}

const isStep = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isTime = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;
const isKey = (v: unknown): v is string => typeof v === "string" && v.length > 0 && v.length <= 200 && isPlainKey(v);

function tooMany(n: number): ApiError {
  return tooLarge(`${n} points in one batch; the limit is ${MAX_POINTS_PER_BATCH}`);
}

/**
 * Accepts either form:
 *  - rows:    {batch, points: [{key, step, value, time?}]}
 *  - columns: {batch, series: {[key]: {steps, values, times?}}}  (the read shape; cheaper to build and to parse)
 * `value: null` records NaN (a diverged loss). A missing time is `now`.
 */
export function parseBatch(body: unknown, now = Date.now()): ParsedBatch {
  const issues = new Issues();
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    issues.add("body", "expected an object");
    issues.throwIfAny();
  }
  const { batch, points, series } = body as Record<string, unknown>;
  if (typeof batch !== "number" || !Number.isInteger(batch) || batch < 0 || batch > 2 ** 31 - 1) {
    issues.add("batch", "expected an integer from 0 to 2^31-1");
  }
  if ((points === undefined) === (series === undefined)) issues.add("body", "send exactly one of points or series");
  issues.throwIfAny();
  const columns = points !== undefined ? fromPoints(points, now, issues) : fromSeries(series, now, issues);
  issues.throwIfAny();
  let count = 0;
  for (const [key, c] of columns) {
    columns.set(key, sortByStep(c));
    count += c.steps.length;
  }
  return { batch: batch as number, count, columns };
}

function fromPoints(points: unknown, now: number, issues: Issues): Map<string, Columns> {
  if (!Array.isArray(points)) {
    issues.add("points", "expected an array");
    return new Map();
  }
  if (points.length > MAX_POINTS_PER_BATCH) throw tooMany(points.length);
  // Pass 1: validate and count per key, so pass 2 fills exactly-sized typed arrays (no growing JS arrays).
  const counts = new Map<string, number>();
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Record<string, unknown> | null;
    if (!p || typeof p !== "object") {
      issues.add(`points.${i}`, "expected an object");
      continue;
    }
    const key = p.key;
    const known = typeof key === "string" && counts.has(key);
    if (!known && !isKey(key)) issues.add(`points.${i}.key`, "expected a non-empty string (max 200, no commas)");
    if (!isStep(p.step)) issues.add(`points.${i}.step`, "expected an integer >= 0");
    const v = p.value;
    if (v !== null && typeof v !== "number") issues.add(`points.${i}.value`, "expected a number or null");
    if (p.time !== undefined && !isTime(p.time)) issues.add(`points.${i}.time`, "expected ms since epoch");
    if (typeof key === "string") counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (issues.list.length) return new Map();
  const columns = new Map<string, Columns>();
  const fill = new Map<string, number>();
  for (const [key, n] of counts) {
    columns.set(key, emptyColumns(n));
    fill.set(key, 0);
  }
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as { key: string; step: number; value: number | null; time?: number };
    const c = columns.get(p.key)!;
    const at = fill.get(p.key)!;
    c.steps[at] = p.step;
    c.values[at] = p.value === null ? NaN : p.value;
    c.times[at] = p.time ?? now;
    fill.set(p.key, at + 1);
  }
  return columns;
}

function fromSeries(series: unknown, now: number, issues: Issues): Map<string, Columns> {
  const columns = new Map<string, Columns>();
  if (!series || typeof series !== "object" || Array.isArray(series)) {
    issues.add("series", "expected an object keyed by metric key");
    return columns;
  }
  let total = 0;
  for (const [key, s] of Object.entries(series as Record<string, unknown>)) {
    const path = `series.${key}`;
    if (!isKey(key)) issues.add(path, "invalid metric key (max 200 characters, no commas)");
    const { steps, values, times } = (s ?? {}) as Record<string, unknown>;
    if (!Array.isArray(steps) || !Array.isArray(values) || steps.length !== values.length) {
      issues.add(path, "expected {steps, values} arrays of equal length");
      continue;
    }
    if (times !== undefined && (!Array.isArray(times) || times.length !== steps.length)) {
      issues.add(`${path}.times`, "expected an array as long as steps");
      continue;
    }
    total += steps.length;
    if (total > MAX_POINTS_PER_BATCH) throw tooMany(total);
    const c = emptyColumns(steps.length);
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i];
      const v = values[i];
      const t = times ? (times as unknown[])[i] : now;
      if (!isStep(step)) issues.add(`${path}.steps.${i}`, "expected an integer >= 0");
      if (v !== null && typeof v !== "number") issues.add(`${path}.values.${i}`, "expected a number or null");
      if (!isTime(t)) issues.add(`${path}.times.${i}`, "expected ms since epoch");
      c.steps[i] = step as number;
      c.values[i] = v === null ? NaN : (v as number);
      c.times[i] = t as number;
    }
    if (steps.length) columns.set(key, c);
  }
  return columns;
}

/**
 * The binary form (series-wire.ts, header {batch, series}): no number parsing at all, so the cheapest to ingest.
 * Values may be any float (NaN = null); steps and times are checked like the JSON forms.
 */
export function parseBinaryBatch(bytes: Uint8Array): ParsedBatch {
  // Copy to a fresh (8-byte aligned) buffer: request bytes may sit at any offset.
  const aligned = new Uint8Array(bytes.byteLength);
  aligned.set(bytes);
  let decoded: ReturnType<typeof decodePayload>;
  try {
    decoded = decodePayload(aligned.buffer);
  } catch (err) {
    throw invalid(`body: ${(err as Error).message}`, [{ path: "body", message: (err as Error).message }]);
  }
  const issues = new Issues();
  const { batch } = decoded.header;
  if (typeof batch !== "number" || !Number.isInteger(batch) || batch < 0 || batch > 2 ** 31 - 1) {
    issues.add("batch", "expected an integer from 0 to 2^31-1");
  }
  const entries = decoded.header.series;
  const total = entries.reduce((n, e) => n + e.count, 0);
  if (total > MAX_POINTS_PER_BATCH) throw tooMany(total);
  if (new Set(entries.map((e) => e.key)).size !== entries.length) issues.add("series", "a key appears twice");
  const columns = new Map<string, Columns>();
  for (const [key, s] of decoded.series) {
    if (!isKey(key)) issues.add(`series.${key}`, "invalid metric key (max 200 characters, no commas)");
    for (let i = 0; i < s.steps.length; i++) {
      if (!isStep(s.steps[i])) issues.add(`series.${key}.steps.${i}`, "expected an integer >= 0");
      if (!isTime(s.times[i])) issues.add(`series.${key}.times.${i}`, "expected ms since epoch");
    }
    if (s.steps.length) columns.set(key, sortByStep({ steps: s.steps, values: s.values, times: s.times }));
  }
  issues.throwIfAny();
  return { batch: batch as number, count: total, columns };
}
