// Zod schemas for everything the tracker accepts, one block per entity. Types are inferred from them.
import { z } from "zod";
import { hasLoneSurrogate, unstorable, unstorableText } from "./json-input";

/** Prisma's Int is 32-bit; anything wider would fail deep in the client as a 500, so it is refused here. */
const int32 = z.int32();
const step = int32.min(0);

/**
 * Every text field: a lone UTF-16 surrogate cannot be written as UTF-8, so the database would refuse it or store
 * something else. HTTP bodies are checked as a whole when parsed (json-input.ts); this covers callers in code (the CLI).
 */
const text = () =>
  z.string().superRefine((s, ctx) => {
    const bad = unstorableText(s);
    if (bad) ctx.addIssue({ code: "custom", message: `text with ${bad} cannot be stored` });
  });

/**
 * Free-form JSON (hyperparameters, device, a model topology), stored as JSON text: it must read back as it was sent,
 * so no lone surrogates, no `__proto__` key (a plain object cannot keep one), and bounded nesting. Checked on the
 * input, before zod copies the record (which drops `__proto__`). NaN and ±Infinity pass, printed as null as JSON
 * does: a notebook's config({ clip: Infinity }) reaches the server as null too; HTTP bodies refuse 1e999 (http.ts).
 */
const storableJson = z.unknown().superRefine((value, ctx) => {
  const problem = unstorable(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem.message, path: problem.path });
});
const jsonObject = storableJson.pipe(z.record(z.string(), z.unknown()));

/** Form fields arrive as strings: a number field accepts "12", and "" counts as absent. */
function formNumber<T extends z.ZodType>(inner: T) {
  return z.preprocess((v) => {
    if (v === null || v === undefined) return undefined;
    if (typeof v === "string") return v.trim() === "" ? undefined : Number(v);
    return v;
  }, inner);
}

// ---- experiments
export const experimentCreate = z.object({
  title: text().trim().min(1).max(200),
  notebook: text().max(1_000_000).optional(),
});
export type ExperimentCreate = z.infer<typeof experimentCreate>;

/**
 * `baseVersion` is the version the client's text was loaded or last saved at: with it, the patch applies only if
 * nobody saved in between (409 otherwise). Without it a save is last-write-wins, as the CLI and scripts want.
 */
export const experimentPatch = z
  .object({
    title: text().trim().min(1).max(200).optional(),
    notebook: text().max(1_000_000).optional(),
    baseVersion: int32.min(0).optional(),
  })
  .refine((p) => p.title !== undefined || p.notebook !== undefined, { message: "nothing to update" });
export type ExperimentPatch = z.infer<typeof experimentPatch>;

// ---- runs
export const runStatus = z.enum(["running", "finished", "failed", "interrupted"]);
export type RunStatus = z.infer<typeof runStatus>;

/** A run's code snapshot: a notebook's text, far below this. */
export const MAX_CODE_LENGTH = 1_000_000;

export const runCreate = z.object({
  experimentId: text().min(1),
  name: text().trim().min(1).max(200).optional(),
  code: text().max(MAX_CODE_LENGTH),
  hparams: jsonObject.default({}),
  seed: int32.optional(),
  backend: text().max(100).optional(),
  device: jsonObject.nullable().optional(),
  /** A queued sweep's job: all three or none */
  sweepId: text().min(1).max(100).optional(),
  sweepJob: int32.min(0).optional(),
  attempt: int32.min(1).optional(),
}).refine((r) => [r.sweepId, r.sweepJob, r.attempt].every((v) => v === undefined) || [r.sweepId, r.sweepJob, r.attempt].every((v) => v !== undefined), {
  message: "sweepId, sweepJob and attempt come together",
  path: ["sweepId"],
});
/** As parsed (hparams defaulted); parse input with runCreate before calling createRun. */
export type RunCreate = z.output<typeof runCreate>;

/**
 * A run only ever leaves `running`; the terminal state is set once. `hparams` replaces the run's hyperparameters
 * while it runs: a notebook's `config(…)` calls come after the run starts, and sending the whole set each time makes
 * a retried request harmless.
 */
export const runPatch = z
  .object({
    status: z.enum(["finished", "failed", "interrupted"]).optional(),
    error: text().max(100_000).optional(),
    hparams: jsonObject.optional(),
    /** The seed a notebook's `config({ seed })` chose, when the run was started without one. */
    seed: int32.optional(),
  })
  .refine((p) => p.status !== undefined || p.hparams !== undefined || p.seed !== undefined, {
    message: "send status, hparams or seed",
  })
  .refine((p) => p.error === undefined || p.status !== undefined, { message: "error needs a status", path: ["error"] });
export type RunPatch = z.infer<typeof runPatch>;

/** Without experimentId, the runs of every experiment; `q` is a filter in the run query language (lib/query). */
export const runListQuery = z.object({
  experimentId: text().min(1).optional(),
  q: text().max(4000).optional(),
});

// ---- metrics
export const MAX_POINTS_PER_BATCH = 10_000;
/** A metric key: what a notebook passes to log(); shown in charts and table headers. */
export const metricKey = z
  .string()
  .min(1)
  .max(200)
  .refine(isPlainKey, "no control characters or commas (commas separate keys in queries)");

/**
 * True for a usable metric key body: no control characters, no commas, no unpaired surrogate (it could not be
 * stored as UTF-8, so the key would never read back). Length is checked separately.
 */
export function isPlainKey(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 32 || c === 44) return false;
  }
  return !hasLoneSurrogate(key);
}

export const metricBatchHeader = z.object({ batch: int32.min(0) });

export const metricQuery = z.object({
  keys: z
    .string()
    .optional()
    .transform((s) => (s ? [...new Set(s.split(",").filter(Boolean))] : undefined))
    .pipe(z.array(metricKey).max(100).optional()),
  maxPoints: formNumber(z.int().min(2).max(1_000_000).optional()),
  from: formNumber(z.number().optional()),
  to: formNumber(z.number().optional()),
  format: z.enum(["json", "binary"]).default("json"),
});
export type MetricQuery = z.output<typeof metricQuery>;

// ---- samples
export const sampleFields = z.object({
  name: text().trim().min(1).max(200),
  step: formNumber(step),
  fps: formNumber(z.number().positive().max(1000).optional()),
  frames: formNumber(int32.min(1).optional()),
  width: formNumber(int32.min(1).optional()),
  height: formNumber(int32.min(1).optional()),
});
export type SampleFields = z.output<typeof sampleFields>;

// ---- checkpoints
export const checkpointFields = z.object({ step: formNumber(step) });

/** One tensor in a TF.js weights manifest; its bytes follow the previous tensor's in the binary. */
export const weightSpec = z.looseObject({
  name: text().min(1),
  shape: z.array(z.int().min(0)),
  dtype: z.enum(["float32", "int32", "bool", "complex64", "string"]),
  quantization: z
    .looseObject({ dtype: z.enum(["uint8", "uint16", "float16"]) })
    .optional(),
});
export type WeightSpec = z.infer<typeof weightSpec>;

/**
 * The model.json TF.js writes (tf.io.http / browserHTTPRequest) or a bare {weightSpecs} bundle. A topology is
 * optional: GAN code often saves only the variables of its generator and discriminator.
 */
export const modelJson = z.looseObject({
  modelTopology: storableJson.optional(),
  format: text().optional(),
  generatedBy: text().optional(),
  convertedBy: text().nullable().optional(),
  weightsManifest: z.array(z.looseObject({ paths: z.array(text()), weights: z.array(weightSpec) })).optional(),
  weightSpecs: z.array(weightSpec).optional(),
});
export type ModelJson = z.infer<typeof modelJson>;

// ---- share links
export const shareTypes = ["experiment", "run", "compare"] as const;
export type ShareType = (typeof shareTypes)[number];
/** The most runs one comparison link can name: as many as the compare view shows side by side. */
export const MAX_COMPARE_RUNS = 8;

const shareId = text().min(1).max(100);
const expiresAt = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .refine((d) => d.getTime() > Date.now(), "must be in the future")
  .nullable()
  .optional();

/** An experiment or run link names one id; a comparison names 2 to 8 distinct runs. */
export const shareCreate = z.discriminatedUnion("type", [
  z.object({ type: z.literal("experiment"), ids: z.array(shareId).length(1, "an experiment link names one experiment"), expiresAt }),
  z.object({ type: z.literal("run"), ids: z.array(shareId).length(1, "a run link names one run"), expiresAt }),
  z.object({
    type: z.literal("compare"),
    ids: z
      .array(shareId)
      .min(2, "a comparison names at least 2 runs")
      .max(MAX_COMPARE_RUNS, `a comparison names at most ${MAX_COMPARE_RUNS} runs`)
      .refine((ids) => new Set(ids).size === ids.length, "a run appears twice"),
    expiresAt,
  }),
]);
export type ShareCreate = z.output<typeof shareCreate>;

// ---- run export and import
export const runExportQuery = z.object({ format: z.enum(["zip", "csv", "json"]).default("zip") });
export const runImportQuery = z.object({ experimentId: text().min(1) });

/** The `format` of a bundle's run.json, and its version: a later layout gets a new version, never a silent change. */
export const RUN_BUNDLE_FORMAT = "zoetrope-run";
export const RUN_BUNDLE_VERSION = 1;

const isoDate = z.iso.datetime({ offset: true });

/** run.json of a run bundle (lib/tracker/export.ts writes it, lib/tracker/import.ts reads it). */
export const runBundle = z.object({
  format: z.literal(RUN_BUNDLE_FORMAT),
  version: z.literal(RUN_BUNDLE_VERSION),
  name: text().trim().min(1).max(200),
  status: runStatus,
  error: text().max(100_000).nullable().default(null),
  hparams: jsonObject,
  seed: int32.nullable().default(null),
  backend: text().max(100).nullable().default(null),
  device: jsonObject.nullable().default(null),
  startedAt: isoDate,
  endedAt: isoDate.nullable().default(null),
  /** Each sample's file in the bundle with what its row held; the file name alone would lose odd characters. */
  samples: z
    .array(
      z.object({
        file: text().min(1).max(1000),
        name: text().trim().min(1).max(200),
        step,
        fps: z.number().positive().max(1000).nullable().default(null),
        frames: int32.min(1).nullable().default(null),
        width: int32.min(1).nullable().default(null),
        height: int32.min(1).nullable().default(null),
      }),
    )
    .max(100_000)
    .default([]),
});
export type RunBundle = z.output<typeof runBundle>;

/** Which of a sweep's jobs to cancel, by their index in the grid; none named cancels every job. */
export const sweepCancel = z.object({ jobs: z.array(int32.min(0)).min(1).max(100_000).optional() }).strict();
