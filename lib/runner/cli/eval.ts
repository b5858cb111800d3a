// `zoetrope eval`: FVD-MM, FID-MM and digit confidence of a checkpoint — a run's latest (from the tracker) or a
// checkpoint folder (model.json + weights.bin) — with the real-vs-real floor and the untrained model beside them.
import fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import * as gan from "../../gan";
import { checkpointMeta, loadCheckpoint } from "../../gan/checkpoint";
import { fileCheckpoint } from "../../gan/checkpoint/fs";
import type { BackendName } from "../../gan/backend";
import type { TrackerSink } from "../tracking/sink";

export interface EvalOptions {
  /** A run id (its latest checkpoint) or a checkpoint folder. */
  target: string;
  n: number;
  seed: number;
  backend?: BackendName;
  /** Opens the tracker; only called for a run id. */
  tracker: () => Promise<TrackerSink>;
  write: (text: string) => void;
}

/** The checkpoint's artifacts, and where they came from. */
async function checkpointOf(opts: EvalOptions): Promise<{ artifacts: tf.io.ModelArtifacts; from: string }> {
  if (fs.existsSync(path.join(opts.target, "model.json"))) {
    return { artifacts: await fileCheckpoint(opts.target).load!(), from: opts.target };
  }
  if (fs.existsSync(opts.target)) throw new Error(`${opts.target} has no model.json: not a checkpoint folder`);
  const sink = await opts.tracker();
  const latest = await sink.latestCheckpoint(opts.target);
  if (!latest) throw new Error(`run ${opts.target} has no checkpoint in ${sink.where}`);
  const artifacts = await sink.checkpointLoader(opts.target, latest.id).load!();
  return { artifacts, from: `run ${opts.target}, step ${latest.step}` };
}

export async function evalCheckpoint(opts: EvalOptions): Promise<gan.VideoMetrics> {
  const info = await gan.initBackend(opts.backend);
  const { artifacts, from } = await checkpointOf(opts);
  const meta = checkpointMeta(artifacts);
  if (!gan.isModelKind(meta.kind)) throw new Error(`unknown model kind ${meta.kind}`);
  const model = gan.createModel(meta.kind, meta.config as Record<string, never>);
  const { state } = await loadCheckpoint(tf.io.fromMemory(artifacts), model, { weightsOnly: true });
  opts.write(`${meta.kind} from ${from} (step ${meta.step}, ${model.shape.frames}×${model.shape.height}×${model.shape.width}), ` +
    `${opts.n} clips per set on ${info.backend}…\n`);
  try {
    const m = await gan.evaluateVideoGan(model, { n: opts.n, seed: opts.seed });
    opts.write(formatMetrics(m));
    return m;
  } finally {
    state.dispose();
    model.dispose();
  }
}

const fmt = (v: number | undefined, digits = 2) => (v === undefined ? "–" : v.toFixed(digits));

/** The three figures in a small table, the floor and the untrained model's beside each. */
export function formatMetrics(m: gan.VideoMetrics): string {
  const rows = [
    ["", "model", "floor (real vs real)", "untrained"],
    ["FVD-MM", fmt(m.fvd_mm), fmt(m.floor.fvd_mm), fmt(m.untrained?.fvd_mm)],
    ["FID-MM", fmt(m.fid_mm), fmt(m.floor.fid_mm), fmt(m.untrained?.fid_mm)],
    ["digit confidence", fmt(m.digit_conf, 3), fmt(m.floor.digit_conf, 3), fmt(m.untrained?.digit_conf, 3)],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("   "));
  return `${lines.join("\n")}\n(n = ${m.n} clips per set; lower FVD-MM/FID-MM is better; ${m.seconds.toFixed(0)} s)\n`;
}
