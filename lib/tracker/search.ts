// Listing runs through a filter in the run query language (lib/query), for the runs tables and their API.
import { QueryError, compileQuery, type QueryableRun } from "../query";
import { ApiError } from "./errors";
import { listAllRuns, listRuns, type RunView } from "./runs";

/** Compiles a filter, reporting a bad one as a 400 whose body says where: {error: {code, message, position, length}}. */
export function runFilter(q: string | undefined): (run: QueryableRun) => boolean {
  try {
    return compileQuery(q ?? "");
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    throw new ApiError(400, "invalid_query", err.message, undefined, { position: err.position, length: err.length });
  }
}

/** The runs of one experiment (404 if unknown), or of all when experimentId is absent, that match `q`. Newest first. */
export async function searchRuns(opts: { experimentId?: string; q?: string }, now = Date.now()): Promise<RunView[]> {
  // The filter is checked before any database work: a typo answers at once.
  const keep = runFilter(opts.q);
  const runs = opts.experimentId === undefined ? await listAllRuns(now) : await listRuns(opts.experimentId, now);
  return runs.filter(keep);
}
