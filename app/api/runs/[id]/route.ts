import { json, otherMethods, readJsonAs, route } from "@/lib/tracker/http";
import { deleteRun, getRun, updateRun } from "@/lib/tracker/runs";
import { runPatch } from "@/lib/tracker/schemas";

type Params = { id: string };

export const GET = route<Params>(async (_req, { id }) => json(await getRun(id)));

/**
 * {status?: finished|failed|interrupted, error?, hparams?, seed?} ends a running run and/or replaces its
 * hyperparameters and seed (409 if it already ended).
 */
export const PATCH = route<Params>(async (req, { id }) => json(await updateRun(id, await readJsonAs(req, runPatch))));

/** Deletes the run with its metrics, samples and checkpoints (a run that recorded nothing, or one not wanted). */
export const DELETE = route<Params>(async (_req, { id }) => {
  await deleteRun(id);
  return new Response(null, { status: 204 });
});

export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
