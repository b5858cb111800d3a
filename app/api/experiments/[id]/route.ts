import { deleteExperiment, getExperiment, updateExperiment } from "@/lib/tracker/experiments";
import { json, readJsonAs, route } from "@/lib/tracker/http";
import { experimentPatch } from "@/lib/tracker/schemas";

type Params = { id: string };

/** By id or slug. */
export const GET = route<Params>(async (_req, { id }) => json(await getExperiment(id)));

/** {title?, notebook?} → the experiment; the slug does not change on rename. */
export const PATCH = route<Params>(async (req, { id }) =>
  json(await updateExperiment(id, await readJsonAs(req, experimentPatch))),
);

/** Deletes its runs, metrics, samples and checkpoints too (rows and files). */
export const DELETE = route<Params>(async (_req, { id }) => {
  await deleteExperiment(id);
  return new Response(null, { status: 204 });
});
