// Runs: one execution of an experiment's notebook, with its code, hyperparameters and lifecycle.
import { db } from "./db";
import { conflict, notFound } from "./errors";
import { removeRunFiles } from "./files";
import { lastValues, type LastValue } from "./metrics";
import { durationMs, effectiveStatus } from "./run-status";
import type { RunCreate, RunPatch, RunStatus } from "./schemas";

export interface RunView {
  id: string;
  experimentId: string;
  name: string;
  /** effective: a silent running run reads as interrupted */
  status: RunStatus;
  error: string | null;
  hparams: Record<string, unknown>;
  seed: number | null;
  backend: string | null;
  device: Record<string, unknown> | null;
  startedAt: string;
  endedAt: string | null;
  heartbeatAt: string;
  durationMs: number;
  /** value at the highest step of each metric key */
  lastMetrics: Record<string, LastValue>;
  /** For one job of a queued sweep: the sweep, the job (its combination's index) and the attempt (1…) */
  sweep: { id: string; job: number; attempt: number } | null;
}

export interface RunDetail extends RunView {
  code: string;
}

const listFields = {
  id: true,
  experimentId: true,
  name: true,
  status: true,
  error: true,
  hparams: true,
  seed: true,
  backend: true,
  device: true,
  startedAt: true,
  endedAt: true,
  heartbeatAt: true,
  sweepId: true,
  sweepJob: true,
  attempt: true,
} as const;

type Row = {
  id: string;
  experimentId: string;
  name: string;
  status: string;
  error: string | null;
  hparams: string;
  seed: number | null;
  backend: string | null;
  device: string | null;
  startedAt: Date;
  endedAt: Date | null;
  heartbeatAt: Date;
  sweepId: string | null;
  sweepJob: number | null;
  attempt: number | null;
};

async function view(r: Row, now: number): Promise<RunView> {
  return {
    id: r.id,
    experimentId: r.experimentId,
    name: r.name,
    status: effectiveStatus(r, now),
    error: r.error,
    hparams: JSON.parse(r.hparams) as Record<string, unknown>,
    seed: r.seed,
    backend: r.backend,
    device: r.device === null ? null : (JSON.parse(r.device) as Record<string, unknown>),
    startedAt: r.startedAt.toISOString(),
    endedAt: r.endedAt?.toISOString() ?? null,
    heartbeatAt: r.heartbeatAt.toISOString(),
    durationMs: durationMs(r, now),
    lastMetrics: await lastValues(r.id),
    sweep: r.sweepId === null ? null : { id: r.sweepId, job: r.sweepJob ?? 0, attempt: r.attempt ?? 1 },
  };
}

export async function createRun(input: RunCreate): Promise<{ id: string; name: string }> {
  const experiment = await db().experiment.findUnique({
    where: { id: input.experimentId },
    select: { _count: { select: { runs: true } } },
  });
  if (!experiment) throw notFound("experiment", input.experimentId);
  if (input.sweepId !== undefined) await supersedeAttempts(input.sweepId, input.sweepJob!, input.attempt!);
  const run = await db().run.create({
    data: {
      experimentId: input.experimentId,
      name: input.name ?? `run-${experiment._count.runs + 1}`,
      code: input.code,
      hparams: JSON.stringify(input.hparams),
      seed: input.seed,
      backend: input.backend,
      device: input.device ? JSON.stringify(input.device) : null,
      sweepId: input.sweepId,
      sweepJob: input.sweepJob,
      attempt: input.attempt,
    },
    select: { id: true, name: true },
  });
  // A new run is activity on the experiment: it moves to the top of the list.
  await db().experiment.updateMany({ where: { id: input.experimentId }, data: { updatedAt: new Date() } });
  return run;
}

/**
 * A new attempt of a job ends the job's earlier attempts that still read as running: their worker was lost (killed,
 * or cut off from the database) and pg-boss handed the job to another. Their metrics stay with them, apart.
 */
async function supersedeAttempts(sweepId: string, sweepJob: number, attempt: number, now = new Date()): Promise<void> {
  await db().run.updateMany({
    where: { sweepId, sweepJob, attempt: { lt: attempt }, status: "running" },
    data: { status: "failed", error: `its worker was lost; attempt ${attempt} took the job over`, endedAt: now },
  });
}

/** Newest first. */
export async function listRuns(experimentId: string, now = Date.now()): Promise<RunView[]> {
  const exists = await db().experiment.count({ where: { id: experimentId } });
  if (!exists) throw notFound("experiment", experimentId);
  return runsWhere({ experimentId }, now);
}

/** The runs of one experiment or one sweep (`{}`: every run), newest first. */
export async function runsWhere(where: { experimentId?: string; sweepId?: string }, now = Date.now()): Promise<RunView[]> {
  const rows = await db().run.findMany({ where, select: listFields, orderBy: { startedAt: "desc" } });
  return Promise.all(rows.map((r) => view(r, now)));
}

/** Every run of every experiment, newest first: the runs page across experiments. */
export function listAllRuns(now = Date.now()): Promise<RunView[]> {
  return runsWhere({}, now);
}

export async function getRun(id: string, now = Date.now()): Promise<RunDetail> {
  const row = await db().run.findUnique({ where: { id }, select: { ...listFields, code: true } });
  if (!row) throw notFound("run", id);
  return { ...(await view(row, now)), code: row.code };
}

/** Throws 404 for an unknown run, else 409: for callers whose conditional update matched nothing. */
async function notRunning(id: string): Promise<never> {
  const run = await db().run.findUnique({ where: { id }, select: { status: true } });
  if (!run) throw notFound("run", id);
  throw conflict(`run ${id} is already ${run.status}`);
}

/**
 * Ends a run (status) and/or replaces its hyperparameters and seed. Only a stored `running` run changes (a silent one too:
 * its worker may come back to say so).
 */
export async function updateRun(id: string, patch: RunPatch, now = new Date()): Promise<RunDetail> {
  const end = patch.status ? { status: patch.status, error: patch.error ?? null, endedAt: now } : {};
  const hparams = patch.hparams ? { hparams: JSON.stringify(patch.hparams) } : {};
  const seed = patch.seed !== undefined ? { seed: patch.seed } : {};
  const { count } = await db().run.updateMany({ where: { id, status: "running" }, data: { ...end, ...hparams, ...seed } });
  if (count === 0) return notRunning(id);
  return getRun(id, now.getTime());
}

/** Records that the worker is alive; a run that read as interrupted reads as running again. */
export async function heartbeat(id: string, now = new Date()): Promise<{ status: RunStatus; heartbeatAt: string }> {
  const { count } = await db().run.updateMany({ where: { id, status: "running" }, data: { heartbeatAt: now } });
  if (count === 0) return notRunning(id);
  return { status: "running", heartbeatAt: now.toISOString() };
}

/** Deletes a run and everything it stored: metrics, samples and checkpoints (rows by cascade, then files). */
export async function deleteRun(id: string): Promise<void> {
  const { count } = await db().run.deleteMany({ where: { id } });
  if (count === 0) throw notFound("run", id);
  // Files go after the row: a failure here leaves unreachable files, never a row pointing at missing files.
  await removeRunFiles([id]);
}
