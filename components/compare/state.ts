// The compare view's state as URL search parameters, so that opening the link reproduces the view:
//   /compare?runs=a,b,c&key=loss/d&key=loss/g&smooth=0.8&x=relative&step=1200&diff=a,c
// Defaults are left out (all keys, smoothing 0.6, step axis, latest step, first two runs diffed). Run ids are
// tracker ids (no commas); metric keys may hold any character, so each is its own `key` parameter.
import { DEFAULT_SMOOTHING, MAX_SMOOTHING } from "../metrics/ema";

export const X_AXES = ["step", "wall", "relative"] as const;
export type XAxis = (typeof X_AXES)[number];

export interface CompareState {
  runs: string[];
  /** metric keys shown; null: every key */
  keys: string[] | null;
  /** debiased EMA weight in [0, 0.99] */
  smoothing: number;
  axis: XAxis;
  /** the samples' step; null: the latest step any run logged */
  step: number | null;
  /** the two runs whose code is diffed; null: the first two */
  diff: [string, string] | null;
}


const isAxis = (s: string | null): s is XAxis => (X_AXES as readonly (string | null)[]).includes(s);

function number(s: string | null): number | null {
  if (s === null || s.trim() === "") return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

function list(s: string | null): string[] {
  return s === null ? [] : [...new Set(s.split(",").map((x) => x.trim()).filter(Boolean))];
}

export function readCompareState(params: URLSearchParams): CompareState {
  const smoothing = number(params.get("smooth"));
  const keys = params.getAll("key");
  const diff = list(params.get("diff"));
  const x = params.get("x");
  return {
    runs: list(params.get("runs")),
    keys: keys.length > 0 ? [...new Set(keys)] : null,
    smoothing: smoothing === null ? DEFAULT_SMOOTHING : Math.min(MAX_SMOOTHING, Math.max(0, smoothing)),
    axis: isAxis(x) ? x : "step",
    step: number(params.get("step")),
    diff: diff.length === 2 ? [diff[0], diff[1]] : null,
  };
}

/** The search string (without "?") for `state`; other parameters in `base` are kept. */
export function writeCompareState(state: CompareState, base = new URLSearchParams()): string {
  const out = new URLSearchParams(base);
  for (const k of ["runs", "key", "smooth", "x", "step", "diff"]) out.delete(k);
  if (state.runs.length > 0) out.set("runs", state.runs.join(","));
  for (const k of state.keys ?? []) out.append("key", k);
  if (state.smoothing !== DEFAULT_SMOOTHING) out.set("smooth", String(state.smoothing));
  if (state.axis !== "step") out.set("x", state.axis);
  if (state.step !== null) out.set("step", String(state.step));
  if (state.diff) out.set("diff", state.diff.join(","));
  // Commas in the run list read better unescaped, and URLSearchParams parses them back the same.
  return out.toString().replace(/%2C/g, ",");
}

/** The pair of runs to diff: the URL's when both are in the comparison, else the first two (or the only one twice). */
export function diffPair(state: CompareState, runIds: string[]): [string, string] | null {
  if (runIds.length === 0) return null;
  if (state.diff && runIds.includes(state.diff[0]) && runIds.includes(state.diff[1])) return state.diff;
  return [runIds[0], runIds[1] ?? runIds[0]];
}
