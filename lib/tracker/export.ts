// A run's data out of Zoetrope: metrics as CSV or JSON, and the run bundle (zip) that import.ts reads back.
//
// The CSV is long, one row per point: `step,key,value,time`. Keys are logged at different steps (losses every step,
// FVD every thousand), so a wide table would be mostly empty cells and need a join on step; the long form is
// lossless, streams in any order, and is what pandas' `pivot` or a spreadsheet pivot takes. `value` NaN is a
// diverged (null) point; `time` is ms since the epoch, exact as stored. Cells are not formula-escaped: that would
// change keys, and the file must read back as it was written.
import fs from "node:fs/promises";
import path from "node:path";
import { strToU8, zipSync, type Zippable } from "fflate";
import Papa from "papaparse";
import { readSeries } from "./metrics";
import { getRun, type RunDetail } from "./runs";
import { listSamples, sampleFile } from "./samples";
import { RUN_BUNDLE_FORMAT, RUN_BUNDLE_VERSION, type RunBundle } from "./schemas";
import { slugify } from "./slug";

export const CSV_FIELDS = ["step", "key", "value", "time"] as const;

/** The run's metrics as long CSV, by key then step. */
export async function metricsCsv(runId: string): Promise<string> {
  const rows: (string | number)[][] = [];
  for (const [key, s] of await readSeries(runId)) {
    for (let i = 0; i < s.steps.length; i++) rows.push([s.steps[i], key, s.values[i], s.times[i]]);
  }
  // Papa writes numbers with String(): the shortest text that reads back to the same double; NaN as "NaN".
  return Papa.unparse({ fields: [...CSV_FIELDS], data: rows }, { newline: "\n" });
}

export interface RunJson {
  run: RunDetail;
  hparams: Record<string, unknown>;
  /** parallel arrays by step, as charts take them; null for a diverged value */
  metrics: Record<string, { steps: number[]; values: (number | null)[]; times: number[] }>;
}

export async function runJson(runId: string): Promise<RunJson> {
  const run = await getRun(runId);
  const metrics: RunJson["metrics"] = {};
  for (const [key, s] of await readSeries(runId)) {
    metrics[key] = {
      steps: Array.from(s.steps),
      values: Array.from(s.values, (v) => (Number.isFinite(v) ? v : null)),
      times: Array.from(s.times),
    };
  }
  return { run, hparams: run.hparams, metrics };
}

/** A file-name-safe piece: what is left of a name after dropping what file systems or zip tools mind. */
function safePart(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "").slice(0, 80) || "sample";
}

/** `<run name>-<id>.<ext>`, for Content-Disposition. */
export function exportFileName(run: { id: string; name: string }, ext: string): string {
  const slug = slugify(run.name);
  // slugify's stand-in for a name with no letters left is "experiment"; here it is a run.
  return `${slug === "experiment" ? "run" : slug}-${run.id}.${ext}`;
}

/**
 * The run bundle: run.json (name, status, hyperparameters, seed, backend, device, times, and each sample's file and
 * row), code.ts, metrics.csv and samples/<name>-<step>.<ext>. Checkpoints are left out: they are training state of
 * this installation (often far larger than everything else), not a record of the run.
 */
export async function runBundleZip(runId: string): Promise<{ run: RunDetail; zip: Uint8Array<ArrayBuffer> }> {
  const run = await getRun(runId);
  const samples = await listSamples(runId);
  const files: Zippable = {};
  const taken = new Set<string>();
  const entries: RunBundle["samples"] = [];
  for (const s of samples) {
    const stored = await sampleFile(s.id);
    const ext = path.extname(stored.file);
    let file = `samples/${safePart(s.name)}-${s.step}${ext}`;
    for (let n = 2; taken.has(file); n++) file = `samples/${safePart(s.name)}-${s.step}-${n}${ext}`;
    taken.add(file);
    // Video and image files are compressed already: stored, not deflated again.
    files[file] = [new Uint8Array(await fs.readFile(stored.file)), { level: 0 }];
    entries.push({ file, name: s.name, step: s.step, fps: s.fps, frames: s.frames, width: s.width, height: s.height });
  }
  const manifest: RunBundle = {
    format: RUN_BUNDLE_FORMAT,
    version: RUN_BUNDLE_VERSION,
    name: run.name,
    status: run.status,
    error: run.error,
    hparams: run.hparams,
    seed: run.seed,
    backend: run.backend,
    device: run.device,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    samples: entries,
  };
  files["run.json"] = strToU8(JSON.stringify(manifest, null, 2));
  files["code.ts"] = strToU8(run.code);
  files["metrics.csv"] = strToU8(await metricsCsv(runId));
  return { run, zip: zipSync(files, { level: 6 }) };
}
