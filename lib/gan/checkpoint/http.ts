// A tf.io IOHandler for the tracker's checkpoint API:
//   POST /api/runs/:id/checkpoints            multipart {modelJson, weights, step} → 201 CheckpointInfo
//   GET  /api/runs/:id/checkpoints            {checkpoints: CheckpointInfo[]} by step
//   GET  /api/runs/:id/checkpoints/:cid/model.json (+ sibling weights.bin, as tf.io.http expects)
// Loading goes through tf.io.http, so a checkpoint is also loadable by any TF.js code that has its modelUrl.
import * as tf from "@tensorflow/tfjs-core";
import { modelJsonFor, weightBuffer, artifactsInfo } from "./model-json";

/** What the tracker answers for a checkpoint (app/api/runs/[id]/checkpoints). */
export interface CheckpointInfo {
  id: string;
  runId: string;
  step: number;
  bytes: number;
  createdAt: string;
  modelUrl: string;
  weightsUrl: string;
}

export interface TrackerCheckpointOptions {
  /** Origin of the tracker, e.g. "http://127.0.0.1:3000"; "" (default) = same origin, for pages and workers. */
  baseUrl?: string;
  /** Checkpoint to load; saving ignores it. */
  checkpointId?: string;
  /** Step to file the checkpoint under when the artifacts carry none (ours carry userDefinedMetadata.zoetrope.step). */
  step?: number;
  fetch?: typeof fetch;
}

export interface TrackerCheckpointHandler extends tf.io.IOHandler {
  /** Set after a successful save: the tracker's record of the new checkpoint. */
  saved?: CheckpointInfo;
}

const runUrl = (base: string, runId: string) => `${base}/api/runs/${encodeURIComponent(runId)}/checkpoints`;

export function trackerCheckpoint(runId: string, opts: TrackerCheckpointOptions = {}): TrackerCheckpointHandler {
  const base = (opts.baseUrl ?? "").replace(/\/$/, "");
  const fetchFn = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const handler: TrackerCheckpointHandler = {
    async save(artifacts) {
      const step = stepOf(artifacts) ?? opts.step;
      if (step === undefined) throw new Error("trackerCheckpoint: no step in the artifacts; pass opts.step");
      const json = modelJsonFor(artifacts, "weights.bin");
      const weights = weightBuffer(artifacts);
      const form = new FormData();
      form.append("modelJson", new Blob([JSON.stringify(json)], { type: "application/json" }), "model.json");
      form.append("weights", new Blob([weights], { type: "application/octet-stream" }), "weights.bin");
      form.append("step", String(step));
      const response = await fetchFn(runUrl(base, runId), { method: "POST", body: form });
      if (!response.ok) throw new Error(`saving checkpoint: HTTP ${response.status} ${await response.text()}`);
      handler.saved = (await response.json()) as CheckpointInfo;
      return { modelArtifactsInfo: artifactsInfo(json, weights.byteLength), responses: [response] };
    },
    async load() {
      if (!opts.checkpointId) throw new Error("trackerCheckpoint: pass checkpointId to load");
      const modelUrl = `${runUrl(base, runId)}/${encodeURIComponent(opts.checkpointId)}/model.json`;
      return tf.io.http(modelUrl, { fetchFunc: fetchFn }).load!();
    },
  };
  return handler;
}

/** The run's checkpoint with the highest step (the one to resume from), or undefined if it has none. */
export async function latestCheckpoint(runId: string, opts: Omit<TrackerCheckpointOptions, "checkpointId" | "step"> = {}): Promise<CheckpointInfo | undefined> {
  const base = (opts.baseUrl ?? "").replace(/\/$/, "");
  const response = await (opts.fetch ?? fetch)(runUrl(base, runId));
  if (!response.ok) throw new Error(`listing checkpoints: HTTP ${response.status}`);
  const { checkpoints } = (await response.json()) as { checkpoints: CheckpointInfo[] };
  return checkpoints.at(-1); // the API lists by step, then creation time
}

function stepOf(artifacts: tf.io.ModelArtifacts): number | undefined {
  const meta = artifacts.userDefinedMetadata as { zoetrope?: { step?: number } } | undefined;
  return meta?.zoetrope?.step;
}
