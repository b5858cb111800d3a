// A sweep's jobs in pg-boss: one job per combination of the grid, under ids derived from the sweep, so enqueuing the
// same sweep twice inserts nothing new, and the sweep page finds its jobs without a table of its own.
import { createHash } from "node:crypto";
import type { PgBoss } from "pg-boss";
import { createSweep, type NewSweep, type SweepArgs, type SweepRecord } from "../tracker/sweeps";
import { ensureSweepQueue } from "./boss";

/** What a worker gets: everything it needs to run the job without the enqueuer's files. */
export interface SweepJobData {
  sweepId: string;
  /** The combination's index in the sweep's grid */
  job: number;
  experimentId: string;
  file: string;
  notebook: string;
  /** This job's combination of the grid */
  combo: Record<string, unknown>;
  /** The sweep's --set values with the combination over them: what the run is given */
  set: Record<string, unknown>;
  seed?: number;
  backend?: string;
}

export type SweepSpec = Omit<NewSweep, "id">;

/** The sweep's id: a digest of everything that makes it this sweep. */
export function sweepIdOf(spec: SweepSpec): string {
  const what = JSON.stringify([spec.queue, spec.experimentId, spec.notebook, spec.combos, spec.args]);
  return `sw${createHash("sha256").update(what).digest("hex").slice(0, 16)}`;
}

/** pg-boss job ids are UUIDs: this one is the digest of (sweep, job), shaped as a version-8 UUID. */
export function jobIdOf(sweepId: string, job: number): string {
  const h = createHash("sha256").update(`${sweepId}:${job}`).digest("hex");
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function jobData(sweep: Pick<SweepRecord, "id" | "experimentId" | "file" | "notebook" | "combos" | "args">, job: number): SweepJobData {
  const args: SweepArgs = sweep.args;
  return {
    sweepId: sweep.id,
    job,
    experimentId: sweep.experimentId,
    file: sweep.file,
    notebook: sweep.notebook,
    combo: sweep.combos[job],
    set: { ...args.set, ...sweep.combos[job] },
    ...(args.seed === undefined ? {} : { seed: args.seed }),
    ...(args.backend === undefined ? {} : { backend: args.backend }),
  };
}

export interface Enqueued {
  sweepId: string;
  jobs: number;
  /** false when this very sweep had been enqueued before: nothing new was added */
  created: boolean;
}

/** Records the sweep and queues its jobs; the same sweep a second time adds nothing. */
export async function enqueueSweep(boss: PgBoss, spec: SweepSpec): Promise<Enqueued> {
  await ensureSweepQueue(boss, spec.queue);
  const sweep = { ...spec, id: sweepIdOf(spec) };
  const created = await createSweep(sweep);
  // Inserted again even when the sweep existed: a first enqueue stopped between the two writes leaves no job
  // missing. pg-boss skips ids it holds already.
  await boss.insert(
    spec.queue,
    spec.combos.map((_, job) => ({ id: jobIdOf(sweep.id, job), data: jobData(sweep, job) })),
  );
  return { sweepId: sweep.id, jobs: spec.combos.length, created };
}

export type JobState = "created" | "retry" | "active" | "completed" | "cancelled" | "failed";

export interface SweepJobState {
  job: number;
  id: string;
  /** pg-boss's state, or "missing" once the queue's retention dropped the job */
  state: JobState | "missing";
  /** attempts started so far (1 for the first) */
  attempts: number;
  startedOn: string | null;
  completedOn: string | null;
  /** a failed job's error, as its worker reported it */
  error: string | null;
}

/** Each job's state, in job order. */
export async function sweepJobStates(boss: PgBoss, sweep: Pick<SweepRecord, "id" | "queue" | "combos">): Promise<SweepJobState[]> {
  const found = await boss.findJobs<SweepJobData>(sweep.queue, { data: { sweepId: sweep.id }, limit: 100_000 });
  const byId = new Map(found.map((j) => [j.id, j]));
  return sweep.combos.map((_, job) => {
    const id = jobIdOf(sweep.id, job);
    const j = byId.get(id);
    if (!j) return { job, id, state: "missing", attempts: 0, startedOn: null, completedOn: null, error: null };
    const started = j.state !== "created";
    return {
      job,
      id,
      state: j.state,
      attempts: started ? j.retryCount + (j.state === "retry" ? 0 : 1) : 0,
      startedOn: started && j.startedOn ? new Date(j.startedOn).toISOString() : null,
      completedOn: j.completedOn ? new Date(j.completedOn).toISOString() : null,
      error: j.state === "failed" ? errorOf(j.output) : null,
    };
  });
}

function errorOf(output: unknown): string | null {
  if (output && typeof output === "object" && "message" in output) return String((output as { message: unknown }).message);
  return output === null || output === undefined ? null : JSON.stringify(output);
}

/** Cancels the given jobs (every job when none is named); running ones stop at their next training step. */
export async function cancelSweepJobs(boss: PgBoss, sweep: Pick<SweepRecord, "id" | "queue" | "combos">, jobs?: number[]): Promise<number> {
  const which = jobs ?? sweep.combos.map((_, i) => i);
  const result = await boss.cancel(sweep.queue, which.map((j) => jobIdOf(sweep.id, j)));
  return (result as { affected?: number }).affected ?? 0; // typed as an empty object, returned as {jobs, requested, affected}
}
