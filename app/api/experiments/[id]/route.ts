import { deleteExperiment, getExperiment, updateExperiment } from "@/lib/tracker/experiments";
import { json, otherMethods, readJsonAs, route } from "@/lib/tracker/http";
import { experimentPatch } from "@/lib/tracker/schemas";

type Params = { id: string };

/** By id or slug. */
export const GET = route<Params>(async (_req, { id }) => json(await getExperiment(id)));

/**
 * {title?, notebook?, baseVersion?} → the experiment, with its new `version`; the slug does not change on rename.
 * A stale baseVersion is refused with 409 {error: {code: "conflict", message, version, notebook, updatedAt}}.
 */
export const PATCH = route<Params>(async (req, { id }) =>
  json(await updateExperiment(id, await readJsonAs(req, experimentPatch))),
);

/** Deletes its runs, metrics, samples and checkpoints too (rows and files). */
export const DELETE = route<Params>(async (_req, { id }) => {
  await deleteExperiment(id);
  return new Response(null, { status: 204 });
});

export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
