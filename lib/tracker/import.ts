// Reads a run bundle (export.ts) back as a new run of an experiment. Everything is checked before anything is
// written; what can only fail while writing (a sample file refused by its magic bytes) deletes the new run again, so
// a failed import leaves nothing behind.
import Papa from "papaparse";
import { db } from "./db";
import { emptyColumns, sortByStep, type Columns } from "./columns";
import { ApiError, invalid, notFound, toApiError, tooLarge, unsupportedMedia } from "./errors";
import { CSV_FIELDS } from "./export";
import { parseJsonText } from "./json-input";
import { MB, maxImportBytes, maxUploadBytes } from "./limits";
import { sniff } from "./media";
import { ingest } from "./metrics";
import { deleteRun } from "./runs";
import { createSample } from "./samples";
import { MAX_CODE_LENGTH, MAX_POINTS_PER_BATCH, isPlainKey, runBundle, type RunBundle } from "./schemas";
import { unzipBounded } from "./unzip";

const bad = (message: string) => invalid(`bundle: ${message}`, [{ path: "bundle", message }]);

/**
 * What each entry may unpack to. The text files have their own bounds (code.ts holds at most MAX_CODE_LENGTH
 * characters of up to 4 UTF-8 bytes); metrics.csv may be as large as an import; every other entry is a sample, held
 * to the upload limit. In all, twice the import limit: room for stored media beside well-compressed metrics.
 */
function unpackLimits() {
  const importBytes = maxImportBytes();
  const caps: Record<string, number> = {
    "run.json": Math.min(importBytes, RUN_JSON_BYTES),
    "code.ts": Math.min(importBytes, 4 * MAX_CODE_LENGTH),
    "metrics.csv": importBytes,
  };
  return { entry: (name: string) => caps[name] ?? Math.min(importBytes, maxUploadBytes()), total: 2 * importBytes };
}

/** run.json lists up to 100,000 samples of a few hundred bytes each. */
const RUN_JSON_BYTES = 64 * MB;

function manifest(bytes: Uint8Array): RunBundle {
  const text = decodeText(bytes, "run.json");
  let raw: unknown;
  try {
    raw = parseJsonText(text, "run.json", { finite: true });
  } catch (err) {
    if (err instanceof ApiError && err.code === "malformed_json") throw bad("run.json is not valid JSON");
    if (err instanceof ApiError) throw new ApiError(err.status, err.code, `bundle: ${err.message}`, err.issues);
    throw err;
  }
  const parsed = runBundle.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: ["run.json", ...i.path.map(String)].join("."), message: i.message }));
    throw invalid(`bundle: ${issues[0].path}: ${issues[0].message}`, issues);
  }
  return parsed.data;
}

interface Metrics {
  columns: Map<string, Columns>;
  /** the latest point's wall time, or -Infinity without points */
  lastTime: number;
}

/**
 * metrics.csv as sorted columns per key. Rows are checked by hand, like the ingest path's: a zod object per row
 * would cost more than the rest of the import for a long run.
 */
function metrics(text: string): Metrics {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const fields = parsed.meta.fields ?? [];
  if (fields.join(",") !== CSV_FIELDS.join(",")) {
    throw bad(`metrics.csv must start with the header ${CSV_FIELDS.join(",")}`);
  }
  if (parsed.errors.length) {
    const e = parsed.errors[0];
    throw bad(`metrics.csv row ${(e.row ?? 0) + 2}: ${e.message}`);
  }
  const rows = parsed.data;
  const counts = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const { key } = rows[i];
    if (!counts.has(key) && !(key.length > 0 && key.length <= 200 && isPlainKey(key))) {
      throw bad(`metrics.csv row ${i + 2}: invalid key ${JSON.stringify(key)}`);
    }
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const columns = new Map<string, Columns>();
  const fill = new Map<string, number>();
  for (const [key, n] of counts) {
    columns.set(key, emptyColumns(n));
    fill.set(key, 0);
  }
  let lastTime = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const step = Number(r.step);
    const time = Number(r.time);
    // NaN (or an empty cell) is a diverged point; ±Infinity is a stored value too.
    const value = r.value === "" || r.value === "NaN" ? NaN : Number(r.value);
    if (!Number.isSafeInteger(step) || step < 0 || r.step.trim() === "") throw bad(`metrics.csv row ${i + 2}: step must be an integer >= 0`);
    if (Number.isNaN(value) && r.value !== "" && r.value !== "NaN") throw bad(`metrics.csv row ${i + 2}: value must be a number or NaN`);
    if (!Number.isFinite(time) || time < 0 || r.time.trim() === "") throw bad(`metrics.csv row ${i + 2}: time must be ms since epoch`);
    const c = columns.get(r.key)!;
    const at = fill.get(r.key)!;
    c.steps[at] = step;
    c.values[at] = value;
    c.times[at] = time;
    fill.set(r.key, at + 1);
    if (time > lastTime) lastTime = time;
  }
  for (const [key, c] of columns) columns.set(key, sortByStep(c));
  return { columns, lastTime };
}

/** Slices of at most MAX_POINTS_PER_BATCH points, one key each: the chunk sizes the live ingest path writes. */
function* batches(columns: Map<string, Columns>) {
  let batch = 0;
  for (const [key, c] of columns) {
    for (let from = 0; from < c.steps.length; from += MAX_POINTS_PER_BATCH) {
      const to = Math.min(from + MAX_POINTS_PER_BATCH, c.steps.length);
      const slice = { steps: c.steps.slice(from, to), values: c.values.slice(from, to), times: c.times.slice(from, to) };
      yield { batch: batch++, count: to - from, columns: new Map([[key, slice]]) };
    }
  }
}

/**
 * Imports a bundle (the zip's bytes, or its chunks as they arrive) as a new run of the experiment → its id. The zip
 * is unpacked while it streams in, within unpackLimits().
 */
export async function importRunBundle(experimentId: string, zip: Uint8Array | AsyncIterable<Uint8Array>): Promise<{ id: string }> {
  if (!(await db().experiment.count({ where: { id: experimentId } }))) throw notFound("experiment", experimentId);
  const files = await unzipBounded(zip, unpackLimits());
  for (const name of ["run.json", "code.ts", "metrics.csv"]) if (!files.has(name)) throw bad(`missing ${name}`);
  const run = manifest(files.get("run.json")!);
  const code = decodeText(files.get("code.ts")!, "code.ts");
  if (code.length > MAX_CODE_LENGTH) throw bad(`code.ts is longer than ${MAX_CODE_LENGTH} characters`);
  const { columns, lastTime } = metrics(decodeText(files.get("metrics.csv")!, "metrics.csv"));
  for (const s of run.samples) {
    const data = files.get(s.file);
    if (!data) throw bad(`${s.file} is named in run.json but missing`);
    // The checks createSample makes, made up front so a bad file stops the import before anything is written.
    const limit = maxUploadBytes();
    if (data.byteLength > limit) throw tooLarge(`bundle: ${s.file} is over the upload limit of ${limit} bytes`);
    if (!sniff(data)) throw unsupportedMedia(`bundle: ${s.file} is not an MP4, WebM, GIF or PNG file`);
  }

  const startedAt = new Date(run.startedAt);
  const endedAt = run.endedAt ? new Date(run.endedAt) : null;
  // The last sign of life: the end, else the latest metric point, else the start. It keeps the duration honest.
  const heartbeatAt = endedAt ?? new Date(Math.max(startedAt.getTime(), Number.isFinite(lastTime) ? lastTime : 0));
  const { id } = await db().run.create({
    data: {
      experimentId,
      name: run.name,
      // No worker comes with an import: a run exported while running arrives as interrupted.
      status: run.status === "running" ? "interrupted" : run.status,
      error: run.error,
      code,
      hparams: JSON.stringify(run.hparams),
      seed: run.seed,
      backend: run.backend,
      device: run.device ? JSON.stringify(run.device) : null,
      startedAt,
      endedAt,
      heartbeatAt,
    },
    select: { id: true },
  });
  try {
    for (const b of batches(columns)) await ingest(id, b, heartbeatAt);
    for (const s of run.samples) {
      const { file, fps, frames, width, height, ...fields } = s;
      const opt = (v: number | null) => v ?? undefined;
      await createSample(id, { ...fields, fps: opt(fps), frames: opt(frames), width: opt(width), height: opt(height) }, files.get(file)!);
    }
  } catch (err) {
    await deleteRun(id).catch(() => undefined);
    const api = toApiError(err);
    if (api.status < 500) throw new ApiError(api.status, api.code, `bundle: ${api.message}`, api.issues);
    throw err;
  }
  return { id };
}

function decodeText(bytes: Uint8Array, name: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw bad(`${name} is not UTF-8 text`);
  }
}
