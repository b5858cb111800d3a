// Queued sweeps as the tracker records them: what was enqueued (notebook, grid, arguments) and the runs its jobs
// made. The jobs themselves, and their states, live in pg-boss (lib/queue).
import { db } from "./db";
import { notFound, toApiError } from "./errors";
import { runsWhere, type RunView } from "./runs";

export interface SweepRecord {
  id: string;
  experimentId: string;
  queue: string;
  file: string;
  notebook: string;
  grid: string;
  /** One object of hyperparameter overrides per job, in job order */
  combos: Record<string, unknown>[];
  /** What every job runs with besides its combination */
  args: SweepArgs;
  createdAt: string;
}

export interface SweepArgs {
  set?: Record<string, unknown>;
  seed?: number;
  backend?: string;
}

export type NewSweep = Omit<SweepRecord, "createdAt">;

type Row = { id: string; experimentId: string; queue: string; file: string; notebook: string; grid: string; combos: string; args: string; createdAt: Date };

function record(r: Row): SweepRecord {
  return {
    ...r,
    combos: JSON.parse(r.combos) as Record<string, unknown>[],
    args: JSON.parse(r.args) as SweepArgs,
    createdAt: r.createdAt.toISOString(),
  };
}

/** Records a sweep; false when one with this id exists already (the same sweep enqueued again). */
export async function createSweep(s: NewSweep): Promise<boolean> {
  try {
    await db().sweep.create({ data: { ...s, combos: JSON.stringify(s.combos), args: JSON.stringify(s.args) } });
    return true;
  } catch (e) {
    if (toApiError(e).status === 409) return false;
    throw e;
  }
}

export async function getSweep(id: string): Promise<SweepRecord> {
  const row = await db().sweep.findUnique({ where: { id } });
  if (!row) throw notFound("sweep", id);
  return record(row);
}

/** The experiment's sweeps, newest first. */
export async function listSweeps(experimentId: string): Promise<SweepRecord[]> {
  const rows = await db().sweep.findMany({ where: { experimentId }, orderBy: { createdAt: "desc" } });
  return rows.map(record);
}

/** Every run the sweep's jobs made, every attempt, by job then attempt. */
export async function sweepRuns(id: string): Promise<RunView[]> {
  const runs = await runsWhere({ sweepId: id });
  return runs.sort((a, b) => a.sweep!.job - b.sweep!.job || a.sweep!.attempt - b.sweep!.attempt);
}
