import { json, parseWith, query, readJsonAs, route } from "@/lib/tracker/http";
import { createRun, listRuns } from "@/lib/tracker/runs";
import { runCreate, runListQuery } from "@/lib/tracker/schemas";

/** ?experimentId= → {runs}, newest first, each with its effective status and last metric values. */
export const GET = route(async (req) => {
  const { experimentId } = parseWith(runListQuery, query(req));
  return json({ runs: await listRuns(experimentId) });
});

/** {experimentId, name?, code, hparams, seed?, backend?, device?} → 201 {id, name}; the run starts `running`. */
export const POST = route(async (req) => json(await createRun(await readJsonAs(req, runCreate)), 201));
