import { json, readJsonAs, route } from "@/lib/tracker/http";
import { endRun, getRun } from "@/lib/tracker/runs";
import { runPatch } from "@/lib/tracker/schemas";

type Params = { id: string };

export const GET = route<Params>(async (_req, { id }) => json(await getRun(id)));

/** {status: finished|failed|interrupted, error?} ends a running run (409 if it already ended). */
export const PATCH = route<Params>(async (req, { id }) => json(await endRun(id, await readJsonAs(req, runPatch))));
