// Runs: one execution of an experiment's notebook, with its code, hyperparameters and lifecycle.
import { db } from "../db";
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
};

function view(r: Row, now: number): RunView {
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
    lastMetrics: lastValues(r.id),
  };
}

export async function createRun(input: RunCreate): Promise<{ id: string; name: string }> {
  const experiment = await db().experiment.findUnique({
    where: { id: input.experimentId },
    select: { _count: { select: { runs: true } } },
  });
  if (!experiment) throw notFound("experiment", input.experimentId);
  const run = await db().run.create({
    data: {
      experimentId: input.experimentId,
      name: input.name ?? `run-${experiment._count.runs + 1}`,
      code: input.code,
      hparams: JSON.stringify(input.hparams),
      seed: input.seed,
      backend: input.backend,
      device: input.device ? JSON.stringify(input.device) : null,
    },
    select: { id: true, name: true },
  });
  // A new run is activity on the experiment: it moves to the top of the list.
  await db().experiment.updateMany({ where: { id: input.experimentId }, data: { updatedAt: new Date() } });
  return run;
}

/** Newest first. */
export async function listRuns(experimentId: string, now = Date.now()): Promise<RunView[]> {
  const exists = await db().experiment.count({ where: { id: experimentId } });
  if (!exists) throw notFound("experiment", experimentId);
  const rows = await db().run.findMany({ where: { experimentId }, select: listFields, orderBy: { startedAt: "desc" } });
  return rows.map((r) => view(r, now));
}

/** Every run of every experiment, newest first: the runs page across experiments. */
export async function listAllRuns(now = Date.now()): Promise<RunView[]> {
  const rows = await db().run.findMany({ select: listFields, orderBy: { startedAt: "desc" } });
  return rows.map((r) => view(r, now));
}

export async function getRun(id: string, now = Date.now()): Promise<RunDetail> {
  const row = await db().run.findUnique({ where: { id }, select: { ...listFields, code: true } });
  if (!row) throw notFound("run", id);
  return { ...view(row, now), code: row.code };
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
