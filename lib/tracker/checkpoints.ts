// TF.js weight bundles of a run: DATA_DIR/checkpoints/<runId>/<id>/{model.json, weights.bin}.
// model.json names "weights.bin", so tf.loadLayersModel(modelUrl) or tf.io.http(modelUrl) fetch the binary from
// the sibling URL without any extra options.
import { db } from "./db";
import { notFound, tooLarge } from "./errors";
import { WEIGHTS_FILE, normaliseModelJson } from "./checkpoint-manifest";
import { absolute, remove, runFolder, storePath, writeNew } from "./files";
import { newId } from "./ids";
import { maxUploadBytes } from "./limits";

export interface CheckpointView {
  id: string;
  runId: string;
  step: number;
  /** size of the weights binary */
  bytes: number;
  createdAt: string;
  modelUrl: string;
  weightsUrl: string;
}

export type CheckpointPart = "model" | "weights";

const base = (runId: string, id: string) => `/api/runs/${runId}/checkpoints/${id}`;
const fileOf: Record<CheckpointPart, string> = { model: "model.json", weights: WEIGHTS_FILE };

type Row = { id: string; runId: string; step: number; bytes: number; createdAt: Date };

function view(r: Row): CheckpointView {
  return {
    id: r.id,
    runId: r.runId,
    step: r.step,
    bytes: r.bytes,
    createdAt: r.createdAt.toISOString(),
    modelUrl: `${base(r.runId, r.id)}/model.json`,
    weightsUrl: `${base(r.runId, r.id)}/${WEIGHTS_FILE}`,
  };
}

async function assertRun(runId: string) {
  if (!(await db().run.count({ where: { id: runId } }))) throw notFound("run", runId);
}

export async function createCheckpoint(
  runId: string,
  step: number,
  modelJsonText: string,
  weights: Uint8Array,
): Promise<CheckpointView> {
  const limit = maxUploadBytes();
  if (weights.byteLength > limit) throw tooLarge(`weights of ${weights.byteLength} bytes are over ${limit} bytes`);
  const model = normaliseModelJson(modelJsonText, weights.byteLength);
  await assertRun(runId);
  const id = newId();
  const dir = storePath(runFolder("checkpoints", runId), id);
  try {
    await writeNew(storePath(dir, fileOf.model), JSON.stringify(model));
    await writeNew(storePath(dir, fileOf.weights), weights);
    const row = await db().checkpoint.create({ data: { id, runId, step, bytes: weights.byteLength, path: dir } });
    return view(row);
  } catch (err) {
    await remove(dir); // no half-written bundle without a row
    throw err;
  }
}

/** By step. */
export async function listCheckpoints(runId: string): Promise<CheckpointView[]> {
  await assertRun(runId);
  const rows = await db().checkpoint.findMany({ where: { runId }, orderBy: [{ step: "asc" }, { createdAt: "asc" }] });
  return rows.map(view);
}

async function row(runId: string, id: string) {
  const r = await db().checkpoint.findFirst({ where: { id, runId } });
  if (!r) throw notFound("checkpoint", id);
  return r;
}

export async function getCheckpoint(runId: string, id: string): Promise<CheckpointView> {
  return view(await row(runId, id));
}

export async function checkpointFile(runId: string, id: string, part: CheckpointPart): Promise<string> {
  const r = await row(runId, id);
  return absolute(storePath(r.path, fileOf[part]));
}
