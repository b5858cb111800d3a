// The `zoetrope` command: run a notebook headless, sweep it over a grid of hyperparameters (here, or queued for
// workers), or work a sweep queue.
import fs from "node:fs";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
import { ConfigError, parseAssignment } from "../kernel/config";
import type { BackendChoice, JsonValue } from "../protocol";
import type { Kernel } from "../kernel/kernel";
import { evalCheckpoint } from "./eval";
import { runNotebook } from "./run";
import { enqueueCommand } from "./enqueue";
import { runSweep } from "./sweep";
import { openTracker } from "./tracker";
import { runWorker, sweepJobFromEnv } from "./worker";

const USAGE = `usage:
  zoetrope run <notebook.ts> [options]        run every cell, recorded as one run
  zoetrope sweep <notebook.ts> --grid "lr=1e-4,2e-4 model=tgan,vgan" [options]
                                              one run per combination, then a table of results
  zoetrope sweep <notebook.ts> --grid "…" --queue NAME [options]
                                              queue one job per combination for workers, and return
                                              (needs DATABASE_URL=postgres://…)
  zoetrope worker --queue NAME [--concurrency N] [--backend NAME] [--url URL]
                                              run queued sweep jobs until Ctrl-C (needs DATABASE_URL=postgres://…)
  zoetrope eval <run id | checkpoint dir> [--n N] [--seed N] [--db FILE | --url URL]
                                              FVD-MM, FID-MM and digit confidence of a checkpoint (a run's
                                              latest), beside the real-vs-real floor and the untrained model
options:
  --set key=value     override a config() value (repeatable; dotted keys reach nested values)
  --seed N            set config's "seed" and record it on the run
  --backend NAME      native | wasm | cpu | webgpu | webgl (default: the fastest that starts)
  --db FILE           record into this SQLite file (default: DATABASE_URL's tracker, else data/zoetrope.db)
  --url URL           record through a running Zoetrope server instead (logs in with $ZOETROPE_PASSWORD if set)
  --name NAME         the run's name (default run-N)
  --out DIR           save shown videos, samples and charts here
  --summary FILE      write the run's summary (status, hparams, last metrics) as JSON
  --n N               eval: clips per set (default 512)
  --queue NAME        sweep: queue the jobs on this pg-boss queue; worker: take jobs from it
  --concurrency N     worker: jobs at once (default 1)
exit status: 0 finished, 1 a cell failed, 2 bad usage, 130 interrupted`;

const BACKENDS = ["native", "cpu", "wasm", "webgpu", "webgl"] as const;

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      set: { type: "string", multiple: true, default: [] },
      grid: { type: "string", multiple: true, default: [] },
      seed: { type: "string" },
      backend: { type: "string" },
      db: { type: "string" },
      url: { type: "string" },
      name: { type: "string" },
      out: { type: "string" },
      summary: { type: "string" },
      n: { type: "string" },
      queue: { type: "string" },
      concurrency: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, file, ...extra] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (!["run", "sweep", "eval", "worker"].includes(command)) throw new UsageError(`unknown command "${command}"`);
  if (values.db && values.url) throw new UsageError("--db and --url are two places to record; pick one");
  if (command === "eval") return evalCommand(file, extra, values);
  if (command === "worker") return workerCommand(positionals.slice(1), values);
  if (!file || extra.length) throw new UsageError(`expected one notebook file, got ${positionals.length - 1}`);
  if (!fs.existsSync(file)) throw new UsageError(`no such notebook: ${file}`);
  const backend = backendOf(values.backend);
  const seed = seedOf(values.seed);
  const overrides: Record<string, JsonValue> = Object.fromEntries(values.set.map(parseAssignment));

  if (command === "sweep") {
    if (values.grid.length === 0) throw new UsageError(`sweep needs --grid "key=a,b key2=c,d"`);
    if (values.queue !== undefined) {
      if (values.db) throw new UsageError("a queued sweep records into DATABASE_URL's PostgreSQL tracker, not --db");
      const appUrl = values.url ?? process.env.ZOETROPE_URL ?? "http://127.0.0.1:3000";
      const write = (t: string) => process.stdout.write(t);
      return enqueueCommand({ file, grid: values.grid.join(" "), queue: values.queue, overrides, seed, backend, appUrl, url: values.url, write });
    }
    return runSweep({ argv, file, grid: values.grid.join(" "), write: (t) => process.stdout.write(t) });
  }

  tf.env().set("PROD", true); // quiets tfjs-core's "install tfjs-node" banner: there is no native backend to install
  const sink = await openTracker({ db: values.db, url: values.url });
  const sweep = sweepJobFromEnv();
  let kernel: Kernel | undefined;
  let interrupts = 0;
  process.on("SIGINT", () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write("\ninterrupting at the next step… (Ctrl-C again to quit now)\n");
    kernel?.interrupt();
  });
  // A sweep job's worker that dies (even by SIGKILL) closes this channel: stop at the next step rather than train on
  // for a job the queue will hand to another worker.
  process.on("disconnect", () => {
    process.stderr.write("\nthe worker that started this job is gone: interrupting\n");
    kernel?.interrupt();
  });
  process.on("unhandledRejection", (e) => {
    process.stderr.write(`! a promise nobody awaited failed: ${e instanceof Error ? e.message : String(e)}\n`);
  });
  const summary = await runNotebook(
    {
      file,
      overrides,
      seed,
      backend,
      sink,
      name: values.name,
      outDir: values.out,
      write: (t) => process.stdout.write(t),
      live: process.stdout.isTTY === true,
      sweep,
    },
    (k) => (kernel = k),
  );
  if (values.summary) fs.writeFileSync(values.summary, JSON.stringify(summary, null, 2));
  return summary.status === "finished" ? 0 : summary.status === "interrupted" ? 130 : 1;
}

async function workerCommand(args: string[], values: { queue?: string; concurrency?: string; backend?: string; url?: string; db?: string }): Promise<number> {
  if (args.length) throw new UsageError(`worker takes no notebook (jobs carry theirs), got ${args.join(" ")}`);
  if (!values.queue) throw new UsageError("worker needs --queue NAME");
  if (values.db) throw new UsageError("a worker records into DATABASE_URL's tracker or through --url, not --db");
  const concurrency = values.concurrency === undefined ? 1 : Number(values.concurrency);
  if (!(Number.isSafeInteger(concurrency) && concurrency >= 1)) throw new UsageError(`--concurrency must be an integer ≥ 1, got ${values.concurrency}`);
  const backend = backendOf(values.backend);
  const { databaseUrl } = await import("../../tracker/paths");
  const runArgs = [...(backend ? ["--backend", backend] : []), ...(values.url ? ["--url", values.url] : [])];
  return runWorker({ queue: values.queue, concurrency, databaseUrl: databaseUrl(), runArgs, write: (t) => process.stdout.write(t) });
}

function backendOf(backend: string | undefined): BackendChoice | undefined {
  if (backend !== undefined && !BACKENDS.includes(backend as BackendChoice)) {
    throw new UsageError(`--backend must be one of ${BACKENDS.join(", ")}`);
  }
  return backend as BackendChoice | undefined;
}

function seedOf(raw: string | undefined): number | undefined {
  const seed = raw === undefined ? undefined : Number(raw);
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer, got ${raw}`);
  return seed;
}

async function evalCommand(target: string | undefined, extra: string[], values: { n?: string; seed?: string; backend?: string; db?: string; url?: string }): Promise<number> {
  if (!target || extra.length) throw new UsageError(`eval expects one run id or checkpoint folder, got ${extra.length + (target ? 1 : 0)}`);
  const n = values.n === undefined ? 512 : Number(values.n);
  if (!(Number.isSafeInteger(n) && n >= 2)) throw new UsageError(`--n must be an integer ≥ 2, got ${values.n}`);
  const backend = backendOf(values.backend);
  if (backend === "webgl") throw new UsageError("--backend webgl is browser-only");
  tf.env().set("PROD", true);
  await evalCheckpoint({
    target,
    n,
    seed: seedOf(values.seed) ?? 0,
    backend,
    tracker: () => openTracker({ db: values.db, url: values.url }),
    write: (t) => process.stdout.write(t),
  });
  return 0;
}

export async function cli(argv: string[]): Promise<never> {
  let code: number;
  try {
    code = await main(argv);
  } catch (e) {
    const usage = e instanceof UsageError || e instanceof ConfigError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
    process.stderr.write(`zoetrope: ${e instanceof Error ? e.message : String(e)}\n${usage ? `\n${USAGE}\n` : ""}`);
    code = usage ? 2 : 1;
  }
  process.exit(code); // Dawn and the heartbeat timer would keep the process alive
}
