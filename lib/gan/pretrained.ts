// Trained checkpoints shipped with the app: `gan.pretrained("mocogan")` gives a model trained for longer than a
// notebook's budget, with its generator EMA attached (what sample() uses) and the TrainState to fine-tune from.
// scripts/train-pretrained.ts makes them: it runs the model's example notebook with its defaults and saves the last
// checkpoint into lib/gan/pretrained/<kind>/ (checked in): model.json + weights.bin (a checkpoint as
// ./checkpoint.ts writes it, with the weights and the EMA in float16, the optimisers' moments in float32) and
// metrics.json (how it was trained and how it scores). scripts/build-kernel.ts copies the folder to public/, so Node
// loads it from disk and the browser kernel from the app's URL, as with the metric networks' weights.
import * as tf from "@tensorflow/tfjs-core";
import { checkpointMeta, loadCheckpoint, type CheckpointMeta } from "./checkpoint";
import { fileCheckpoint } from "./checkpoint/fs";
import { isNode, isUrl, PRETRAINED_FILES, PRETRAINED_PATH, PRETRAINED_URL } from "./checkpoint/source";
import { attachTrainState } from "./fit";
import type { VideoScores } from "./metrics/evaluate";
import { createModel, isModelKind, modelKinds, type ModelConfigs, type ModelKind, type Models } from "./models";
import type { TrainState } from "./train/state";
import type { VideoGan } from "./types";

export { PRETRAINED_FILES, PRETRAINED_PATH, PRETRAINED_URL };

/** FVD-MM, FID-MM and digit confidence of the stored (float16) weights, as lib/gan/metrics/evaluate.ts gives them. */
export interface PretrainedEvaluation extends VideoScores {
  /** Clips per set. */
  n: number;
  /** The evaluation's seed (`zoetrope eval <folder> --seed S --n N` gives the same figures on the same backend). */
  seed: number;
  /** A second real set scored like the model: the lowest figures n clips can show. */
  floor: VideoScores;
  /** The same architecture with its initial weights. */
  untrained?: VideoScores;
  seconds: number;
}

/** metrics.json: how the checkpoint was made and how it scores. */
export interface PretrainedMetrics {
  kind: ModelKind;
  /** The example notebook whose defaults built and trained the model, and the `--set` overrides of this run. */
  notebook: string;
  overrides: Record<string, unknown>;
  /** Every config() value the notebook resolved (defaults and overrides). */
  hparams: Record<string, unknown>;
  /** The model's own config (the checkpoint carries it too). */
  config: unknown;
  seed: number | null;
  /** Training steps in all. */
  steps: number;
  /** Wall time of the cell that trained, and of the notebook from its first cell to the end of that cell. */
  trainSeconds: number;
  wallSeconds: number;
  /** Mean step time as the trainer measured it. */
  msPerStep: number | null;
  /** Whether the run ended at its budget or was interrupted (then saved at its last complete step). */
  stoppedBy: "budget" | "interrupt";
  backend: string;
  /** CPU model × cores, and the JavaScript runtime. */
  hardware: string;
  runtime: string;
  /** Scores of the stored weights; null when the run skipped the evaluation. */
  evaluation: PretrainedEvaluation | null;
  /** Bytes of weights.bin, and how many tensors it stores in each precision. */
  weights: { bytes: number; float16: number; float32: number };
  createdAt: string;
}

export interface PretrainedOptions {
  /**
   * The checkpoint folder (in Node) or its URL (the folder, or its model.json). Default: the checked-in
   * lib/gan/pretrained/<kind> in Node, the app's /assets/generated/pretrained/<kind>/ in a browser or worker.
   */
  from?: string;
  /** Leave the optimisers' saved moments out: fine-tuning then starts Adam afresh (the step and EMA stay). */
  weightsOnly?: boolean;
}

export interface Pretrained<K extends ModelKind = ModelKind> {
  /** The trained model; sample() uses its EMA weights. */
  model: Models[K] & VideoGan<ModelConfigs[K]>;
  /** Step, optimisers and EMA of the run, attached to the model: fit() and gan.train({ state }) continue it. */
  state: TrainState;
  /** metrics.json. */
  metrics: PretrainedMetrics;
  /** The checkpoint's own record (step, optimiser settings, EMA schedule). */
  meta: CheckpointMeta;
  /** How it was trained and how it scores, in one line: "Trained for 3000 steps (60 min on native), FVD-MM 52.1 at n = 512". */
  summary: string;
  /** Frees the model and the state. */
  dispose(): void;
}

/** The trained checkpoint of `kind`, loaded into a new model. The caller owns it (dispose() frees it). */
export async function pretrained<K extends ModelKind>(kind: K, opts: PretrainedOptions = {}): Promise<Pretrained<K>> {
  if (!isModelKind(kind)) throw new Error(`gan.pretrained: unknown model kind "${kind}" (one of ${modelKinds.join(", ")})`);
  const where = opts.from ?? (isNode() ? `${PRETRAINED_PATH}/${kind}` : `${PRETRAINED_URL}/${kind}/`);
  const found = isUrl(where) ? await atUrl(kind, where) : await inFolder(kind, where);
  if (found.metrics.kind !== kind) throw new Error(`gan.pretrained: ${where} holds a ${found.metrics.kind} checkpoint, not ${kind}`);
  const { model, state, meta } = await modelFromCheckpoint(found.handler, { kind, weightsOnly: opts.weightsOnly });
  return {
    model: model as Models[K] & VideoGan<ModelConfigs[K]>,
    state,
    metrics: found.metrics,
    meta,
    summary: summarize(found.metrics),
    dispose() {
      state.dispose();
      model.dispose();
    },
  };
}

function summarize(m: PretrainedMetrics): string {
  const score = m.evaluation ? `, FVD-MM ${m.evaluation.fvd_mm.toFixed(1)} at n = ${m.evaluation.n}` : "";
  return `Trained for ${m.steps} steps (${(m.trainSeconds / 60).toFixed(0)} min on ${m.backend})${score}`;
}

/**
 * Builds the model a checkpoint describes (its kind and config) and loads it: weights, EMA (attached, so sample()
 * uses it) and a TrainState attached for fit() to continue. The caller owns model and state.
 */
export async function modelFromCheckpoint(
  handler: tf.io.IOHandler,
  opts: { kind?: ModelKind; weightsOnly?: boolean } = {},
): Promise<{ model: VideoGan; state: TrainState; meta: CheckpointMeta }> {
  if (!handler.load) throw new Error("this IOHandler cannot load");
  const artifacts = await handler.load();
  const meta = checkpointMeta(artifacts);
  if (!isModelKind(meta.kind)) throw new Error(`checkpoint of an unknown model kind "${meta.kind}"`);
  if (opts.kind && meta.kind !== opts.kind) throw new Error(`checkpoint is a ${meta.kind} model, not ${opts.kind}`);
  const model = createModel(meta.kind, meta.config as Partial<ModelConfigs[typeof meta.kind]>, 0); // weights overwritten below
  try {
    const { state } = await loadCheckpoint(tf.io.fromMemory(artifacts), model, { weightsOnly: opts.weightsOnly });
    attachTrainState(model, state);
    return { model, state, meta };
  } catch (e) {
    model.dispose();
    throw e;
  }
}

function missing(kind: ModelKind, where: string, why: string, served: boolean): Error {
  const serve = served ? ", then rebuild the app (`npm run build`, or restart `npm run dev`) so that it is served" : "";
  return new Error(
    `gan.pretrained: no trained ${kind} checkpoint at ${where} (${why}). Create it with ` +
      `\`npm run pretrain -- --model ${kind}\` (scripts/train-pretrained.ts writes ${PRETRAINED_PATH}/${kind}/)${serve}.`,
  );
}

async function inFolder(kind: ModelKind, dir: string): Promise<{ handler: tf.io.IOHandler; metrics: PretrainedMetrics }> {
  const [fs, path] = await Promise.all([import("node:fs/promises"), import("node:path")]);
  for (const file of PRETRAINED_FILES) {
    try {
      await fs.access(path.join(dir, file));
    } catch {
      throw missing(kind, dir, `no ${file}`, false);
    }
  }
  const metrics = JSON.parse(await fs.readFile(path.join(dir, "metrics.json"), "utf8")) as PretrainedMetrics;
  return { handler: fileCheckpoint(dir), metrics };
}

async function atUrl(kind: ModelKind, url: string): Promise<{ handler: tf.io.IOHandler; metrics: PretrainedMetrics }> {
  const base = url.replace(/model\.json$/, "").replace(/\/?$/, "/");
  let response: Response;
  try {
    response = await fetch(`${base}metrics.json`);
  } catch (e) {
    throw missing(kind, base, e instanceof Error ? e.message : String(e), true);
  }
  if (!response.ok) throw missing(kind, base, `metrics.json: HTTP ${response.status}`, true);
  const metrics = (await response.json()) as PretrainedMetrics;
  return { handler: tf.io.http(`${base}model.json`), metrics };
}
