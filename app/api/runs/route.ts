import { json, otherMethods, parseWith, query, readJsonAs, route } from "@/lib/tracker/http";
import { createRun } from "@/lib/tracker/runs";
import { runCreate, runListQuery } from "@/lib/tracker/schemas";
import { searchRuns } from "@/lib/tracker/search";

/**
 * ?experimentId=&q= → {runs}, newest first, each with its effective status and last metric values. Without
 * experimentId, the runs of every experiment. `q` filters in the run query language (lib/query); a bad one answers
 * 400 {error: {code: "invalid_query", message, position, length}}.
 */
export const GET = route(async (req) => json({ runs: await searchRuns(parseWith(runListQuery, query(req))) }));

/** {experimentId, name?, code, hparams, seed?, backend?, device?} → 201 {id, name}; the run starts `running`. */
export const POST = route(async (req) => json(await createRun(await readJsonAs(req, runCreate)), 201));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
