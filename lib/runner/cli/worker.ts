// `zoetrope worker --queue NAME`: pulls a queued sweep's jobs from pg-boss and runs each as `zoetrope run` in a
// child process (a clean TF.js memory and backend per job; a crash stays one job's), recorded into DATABASE_URL's
// tracker or through a server (--url). pg-boss keeps the claim alive with heartbeats while the child runs:
//   - a job cancelled on the sweep page (or one whose claim lapsed) aborts job.signal: the child is interrupted at
//     its next training step;
//   - a worker that is killed stops beating; another worker's supervisor retries the job as a new attempt, a new run,
//     so no metric of the dead attempt mixes into it (the child notices its parent is gone and stops too);
//   - Ctrl-C stops taking jobs and lets the running ones finish; a second Ctrl-C interrupts them and hands them back
//     to the queue for another worker.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import type { Job, JobResult } from "pg-boss";
import { assertQueueExists, openBoss } from "../../queue/boss";
import type { SweepJobData } from "../../queue/sweep-jobs";
import type { RunSummary, SweepJob } from "./run";

export interface WorkerOptions {
  queue: string;
  /** Jobs run at once on this machine */
  concurrency: number;
  databaseUrl: string;
  /** Arguments every child `zoetrope run` gets: --backend, --url */
  runArgs: string[];
  write: (text: string) => void;
}

/** Set by the worker on each child `zoetrope run`: which sweep job the run is (see sweepJobFromEnv). */
export const SWEEP_JOB_ENV = "ZOETROPE_SWEEP_JOB";

const jobSchema = z.object({
  sweepId: z.string().min(1),
  job: z.number().int().min(0),
  experimentId: z.string().min(1),
  file: z.string().min(1),
  notebook: z.string(),
  combo: z.record(z.string(), z.unknown()),
  set: z.record(z.string(), z.unknown()),
  seed: z.number().int().optional(),
  backend: z.string().optional(),
});

const workerName = `${os.hostname()}:${process.pid}`;

export async function runWorker(opts: WorkerOptions): Promise<number> {
  const boss = await openBoss(opts.databaseUrl, { supervise: true });
  await assertQueueExists(boss, opts.queue);
  const children = new Set<ChildProcess>();
  let stopping = 0;
  const stopped = new Promise<void>((resolve) => {
    process.on("SIGINT", () => {
      stopping++;
      if (stopping === 1) {
        opts.write(`\nworker: taking no more jobs; ${children.size} running will finish (Ctrl-C again hands them back)\n`);
        void boss.offWork(opts.queue, { wait: true }).then(() => resolve());
      } else {
        opts.write(`\nworker: interrupting ${children.size} job(s) and handing them back to the queue\n`);
        for (const child of children) child.kill("SIGINT");
      }
    });
  });

  // A job's outcome: completed; failed, which pg-boss retries (the worker stopped or the child crashed); or failed for
  // good, "deadletter", when another attempt would fail the same way (a cell threw, the job is malformed).
  const run = async (job: Job<SweepJobData>): Promise<JobResult> => {
    const settle = (status: JobResult["status"], message?: string): JobResult => ({ id: job.id, status, output: message === undefined ? undefined : { message } });
    const parsed = jobSchema.safeParse(job.data);
    if (!parsed.success) return settle("deadletter", `job ${job.id} is not a sweep job this worker can run: ${parsed.error.issues[0]?.message}`);
    const data = parsed.data;
    const attempt = job.retryCount + 1;
    const label = `job ${data.job + 1}${attempt > 1 ? ` (attempt ${attempt})` : ""}`;
    opts.write(`worker: ${label} of sweep ${data.sweepId}: ${describe(data.combo)}\n`);
    const result = await runChild(data, attempt, opts, job.signal, children);
    if (job.signal.aborted) {
      opts.write(`worker: ${label} stopped: ${job.signal.reason instanceof Error ? job.signal.reason.message : "cancelled"}\n`);
      return settle("completed"); // cancelled, or taken over: pg-boss no longer lets this worker settle it
    }
    if (stopping > 1) return settle("failed", `handed back: worker ${workerName} was stopped with Ctrl-C`);
    const summary = result.summary;
    if (summary?.status === "finished") {
      opts.write(`worker: ${label} finished as run ${summary.name} (${summary.runId})\n`);
      return { id: job.id, status: "completed", output: { runId: summary.runId } };
    }
    const message = failureLine(result, data.file);
    opts.write(`worker: ${label} failed: ${message}\n`);
    return settle(summary?.failure ? "deadletter" : "failed", message);
  };

  // A heartbeat every 2 s is also how soon a cancel on the sweep page reaches a running job (its claim is gone).
  // burstWhenReadyExceeds: while jobs are waiting, a slot that finishes one takes the next at once rather than at
  // its next poll.
  const workOptions = {
    batchSize: 1,
    localConcurrency: opts.concurrency,
    pollingIntervalSeconds: 1,
    burstWhenReadyExceeds: 1,
    heartbeatRefreshSeconds: 2,
    perJobResults: true,
  } as const;
  await boss.work<SweepJobData>(opts.queue, workOptions, async ([job]) => [await run(job)]);
  opts.write(`worker ${workerName}: waiting for jobs on queue "${opts.queue}" (${opts.concurrency} at a time; Ctrl-C to stop)\n`);
  await stopped;
  await boss.stop({ graceful: true, timeout: 30_000 });
  return 0;
}

interface ChildResult {
  code: number;
  summary?: RunSummary;
}

function runChild(data: z.infer<typeof jobSchema>, attempt: number, opts: WorkerOptions, signal: AbortSignal, children: Set<ChildProcess>): Promise<ChildResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-job-"));
  // The notebook under its own name, so messages point at a file the user knows.
  const file = path.join(dir, path.basename(data.file).replace(/[^\w.-]/g, "_") || "notebook.ts");
  fs.writeFileSync(file, data.notebook);
  const summaryFile = path.join(dir, "summary.json");
  const sets = Object.entries(data.set).flatMap(([k, v]) => ["--set", `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`]);
  const args = [
    ...process.execArgv,
    process.argv[1],
    "run",
    file,
    ...sets,
    ...(data.seed === undefined ? [] : ["--seed", String(data.seed)]),
    ...(data.backend !== undefined && !opts.runArgs.includes("--backend") ? ["--backend", data.backend] : []),
    ...opts.runArgs,
    "--name",
    `job ${data.job + 1}${attempt > 1 ? ` attempt ${attempt}` : ""}: ${describe(data.combo)}`.slice(0, 200),
    "--summary",
    summaryFile,
  ];
  const link: SweepJob = { sweepId: data.sweepId, sweepJob: data.job, attempt, experimentId: data.experimentId, worker: workerName };
  // Its own process group: a Ctrl-C in the worker's terminal reaches the worker, which decides what the jobs do.
  const child = spawn(process.execPath, args, {
    env: { ...process.env, [SWEEP_JOB_ENV]: JSON.stringify(link) },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    detached: true,
  });
  children.add(child);
  const prefix = `[job ${data.job + 1}] `;
  for (const stream of [child.stdout!, child.stderr!]) {
    let rest = "";
    stream.setEncoding("utf8");
    stream.on("data", (text: string) => {
      const lines = (rest + text).split("\n");
      rest = lines.pop()!;
      for (const line of lines) opts.write(`${prefix}${line}\n`);
    });
  }
  const onAbort = () => child.kill("SIGINT");
  signal.addEventListener("abort", onAbort, { once: true });
  return new Promise((resolve) => {
    child.on("exit", (code, sig) => {
      signal.removeEventListener("abort", onAbort);
      children.delete(child);
      const summary = fs.existsSync(summaryFile) ? (JSON.parse(fs.readFileSync(summaryFile, "utf8")) as RunSummary) : undefined;
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code: code ?? (sig ? 128 : 1), summary });
    });
  });
}

/** The one line a failed job's state shows. */
function failureLine(result: ChildResult, file: string): string {
  const s = result.summary;
  if (!s) return `zoetrope run exited with status ${result.code} before recording a summary (see the worker's output)`;
  if (s.failure) {
    const f = s.failure;
    return `${f.cell} failed at ${path.basename(file)}${f.line === undefined ? "" : `:${f.line}`}: ${f.error.name}: ${f.error.message}`;
  }
  return `run ${s.name ?? s.runId ?? ""} ended ${s.status}`;
}

function describe(set: Record<string, unknown>): string {
  return Object.entries(set).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ") || "(defaults)";
}

/** In a child `zoetrope run` started by a worker: which sweep job it is. */
export function sweepJobFromEnv(): SweepJob | undefined {
  const raw = process.env[SWEEP_JOB_ENV];
  return raw ? (JSON.parse(raw) as SweepJob) : undefined;
}
