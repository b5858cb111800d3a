// Checkpoints: every model variable (stateVars: weights, batch-norm statistics, spectral-norm vectors), both Adams'
// slots and iteration counts, the generator EMA and the step, as one tf.io ModelArtifacts. Any tf.io IOHandler
// carries it: ./checkpoint/fs (model.json + weights.bin in a folder, Node), ./checkpoint/http (the tracker API),
// tf.io.browserHTTPRequest, indexeddb://…. Loading into a fresh model and a fresh TrainState resumes the run exactly.
import * as tf from "@tensorflow/tfjs-core";
import { NETWORKS, restoreOptimizer, type NamedTensor, snapshotOptimizer, trainableVars, type OptimSettings } from "./train/optimizers";
import type { EmaHalfLife } from "./train/ema";
import { createTrainState, type TrainState } from "./train/state";
import type { VideoGan } from "./types";

export const CHECKPOINT_FORMAT = "zoetrope-checkpoint";
export const CHECKPOINT_VERSION = 1;

/** What model.json's userDefinedMetadata.zoetrope holds besides the tensors. */
export interface CheckpointMeta {
  version: number;
  kind: string;
  config: unknown;
  shape: VideoGan["shape"];
  step: number;
  optim: OptimSettings;
  iterations: { generator: number; discriminator: number };
  /** The EMA's schedule: a fixed decay (version-1 checkpoints have only this), or a half-life with its ramp-up. */
  ema?: { decay: number } | { halfLife: EmaHalfLife };
  /** Free-form run details a caller wants kept with the weights (seed, dataset, notes). */
  extra?: Record<string, unknown>;
}

// Tensor names inside the checkpoint. Model variables keep their stateVars names; optimiser slots go by position.
const MODEL = "model/";
const EMA = "ema/";
const optimPrefix = (net: string) => `optim/${net}/`;

/** Builds the artifacts (reads every tensor back to the host once). */
export async function checkpointArtifacts(model: VideoGan, state: TrainState, extra?: Record<string, unknown>): Promise<tf.io.ModelArtifacts> {
  const named: NamedTensor[] = [];
  for (const [name, v] of model.stateVars()) named.push({ name: MODEL + name, tensor: v });
  const iterations = { generator: 0, discriminator: 0 };
  for (const net of NETWORKS) {
    const snap = await snapshotOptimizer(state.optimizers[net]);
    iterations[net] = snap.iterations;
    for (const s of snap.slots) named.push({ name: optimPrefix(net) + s.name, tensor: s.tensor });
  }
  for (const [name, v] of state.ema?.shadow ?? []) named.push({ name: EMA + name, tensor: v });
  const { data, specs } = await tf.io.encodeWeights(named);
  const meta: CheckpointMeta = {
    version: CHECKPOINT_VERSION,
    kind: model.kind,
    config: model.config,
    shape: model.shape,
    step: state.step,
    optim: state.settings,
    iterations,
    ema: !state.ema ? undefined : typeof state.ema.settings === "number" ? { decay: state.ema.settings } : { halfLife: state.ema.settings },
    extra,
  };
  return {
    format: CHECKPOINT_FORMAT,
    generatedBy: "zoetrope",
    modelTopology: { kind: model.kind, config: model.config as object, shape: model.shape },
    weightSpecs: specs,
    weightData: data,
    userDefinedMetadata: { zoetrope: JSON.parse(JSON.stringify(meta)) },
  };
}

export async function saveCheckpoint(
  handler: tf.io.IOHandler,
  model: VideoGan,
  state: TrainState,
  extra?: Record<string, unknown>,
): Promise<tf.io.SaveResult> {
  if (!handler.save) throw new Error("this IOHandler cannot save");
  return handler.save(await checkpointArtifacts(model, state, extra));
}

/** The metadata of a checkpoint's artifacts, validated enough to trust its fields. */
export function checkpointMeta(artifacts: tf.io.ModelArtifacts): CheckpointMeta {
  const meta = (artifacts.userDefinedMetadata as { zoetrope?: CheckpointMeta } | undefined)?.zoetrope;
  if (artifacts.format !== CHECKPOINT_FORMAT || !meta) throw new Error(`not a ${CHECKPOINT_FORMAT} (format ${artifacts.format})`);
  if (meta.version !== CHECKPOINT_VERSION) throw new Error(`checkpoint version ${meta.version} is not supported`);
  return meta;
}

export interface LoadOptions {
  /** Skip restoring optimiser slots (inference, or fine-tuning with fresh Adam state). Default false. */
  weightsOnly?: boolean;
}

/**
 * Loads a checkpoint into `model` (which must be built with the same kind and config) and returns a TrainState that
 * continues the run: same step, same Adam settings and slots, same EMA. The caller owns the state.
 */
export async function loadCheckpoint(
  handler: tf.io.IOHandler,
  model: VideoGan,
  opts: LoadOptions = {},
): Promise<{ state: TrainState; meta: CheckpointMeta }> {
  if (!handler.load) throw new Error("this IOHandler cannot load");
  const artifacts = await handler.load();
  const meta = checkpointMeta(artifacts);
  if (meta.kind !== model.kind) throw new Error(`checkpoint is a ${meta.kind} model, not ${model.kind}`);
  if (!artifacts.weightSpecs || !artifacts.weightData) throw new Error("checkpoint has no weights");
  const tensors = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  try {
    restoreModelVars(model, tensors);
    const ema = !meta.ema ? false : "halfLife" in meta.ema ? meta.ema.halfLife : meta.ema.decay;
    const state = createTrainState(model, { ...meta.optim, ema, step: meta.step });
    try {
      if (!opts.weightsOnly) {
        for (const net of NETWORKS) {
          const slots = Object.entries(tensors)
            .filter(([name]) => name.startsWith(optimPrefix(net)))
            .map(([name, tensor]) => ({ name: name.slice(optimPrefix(net).length), tensor }));
          await restoreOptimizer(state.optimizers[net], meta.iterations[net], slots, trainableVars(model, net));
        }
      }
      for (const [name, s] of state.ema?.shadow ?? []) s.assign(required(tensors, EMA + name, s.shape));
    } catch (err) {
      state.dispose();
      throw err;
    }
    return { state, meta };
  } finally {
    tf.dispose(Object.values(tensors)); // restored variables hold their own references
  }
}

function restoreModelVars(model: VideoGan, tensors: tf.NamedTensorMap): void {
  const vars = model.stateVars();
  const unknown = Object.keys(tensors).filter((n) => n.startsWith(MODEL) && !vars.has(n.slice(MODEL.length)));
  if (unknown.length) throw new Error(`checkpoint has variables this model lacks: ${unknown.slice(0, 5).join(", ")}`);
  // Check everything before assigning anything, so a mismatched checkpoint leaves the model untouched.
  const values = [...vars].map(([name, v]) => [v, required(tensors, MODEL + name, v.shape)] as const);
  tf.tidy(() => values.forEach(([v, t]) => v.assign(t.dtype === v.dtype ? t : tf.cast(t, v.dtype))));
}

function required(tensors: tf.NamedTensorMap, name: string, shape: number[]): tf.Tensor {
  const t = tensors[name];
  if (!t) throw new Error(`checkpoint lacks ${name}`);
  if (!tf.util.arraysEqual(t.shape, shape)) throw new Error(`${name}: checkpoint has [${t.shape}], model has [${shape}]`);
  return t;
}
