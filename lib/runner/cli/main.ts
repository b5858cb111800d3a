// The `zoetrope` command: run a notebook headless, or sweep it over a grid of hyperparameters.
import fs from "node:fs";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
import { ConfigError, parseAssignment } from "../kernel/config";
import type { BackendChoice, JsonValue } from "../protocol";
import type { Kernel } from "../kernel/kernel";
import { evalCheckpoint } from "./eval";
import { runNotebook } from "./run";
import { runSweep } from "./sweep";
import { openTracker } from "./tracker";

const USAGE = `usage:
  zoetrope run <notebook.ts> [options]        run every cell, recorded as one run
  zoetrope sweep <notebook.ts> --grid "lr=1e-4,2e-4 model=tgan,vgan" [options]
                                              one run per combination, then a table of results
  zoetrope eval <run id | checkpoint dir> [--n N] [--seed N] [--db FILE | --url URL]
                                              FVD-MM, FID-MM and digit confidence of a checkpoint (a run's
                                              latest), beside the real-vs-real floor and the untrained model
options:
  --set key=value     override a config() value (repeatable; dotted keys reach nested values)
  --seed N            set config's "seed" and record it on the run
  --backend NAME      native | wasm | cpu | webgpu | webgl (default: the fastest that starts)
  --db FILE           record into this SQLite file (default: the app's, data/zoetrope.db)
  --url URL           record through a running Zoetrope server instead (logs in with $ZOETROPE_PASSWORD if set)
  --name NAME         the run's name (default run-N)
  --out DIR           save shown videos, samples and charts here
  --summary FILE      write the run's summary (status, hparams, last metrics) as JSON
  --n N               eval: clips per set (default 512)
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
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, file, ...extra] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (command !== "run" && command !== "sweep" && command !== "eval") throw new UsageError(`unknown command "${command}"`);
  if (values.db && values.url) throw new UsageError("--db and --url are two places to record; pick one");
  if (command === "eval") return evalCommand(file, extra, values);
  if (!file || extra.length) throw new UsageError(`expected one notebook file, got ${positionals.length - 1}`);
  if (!fs.existsSync(file)) throw new UsageError(`no such notebook: ${file}`);
  const backend = backendOf(values.backend);
  const seed = seedOf(values.seed);
  const overrides: Record<string, JsonValue> = Object.fromEntries(values.set.map(parseAssignment));

  if (command === "sweep") {
    if (values.grid.length === 0) throw new UsageError(`sweep needs --grid "key=a,b key2=c,d"`);
    return runSweep({ argv, file, grid: values.grid.join(" "), write: (t) => process.stdout.write(t) });
  }

  tf.env().set("PROD", true); // quiets tfjs-core's "install tfjs-node" banner: there is no native backend to install
  const sink = await openTracker({ db: values.db, url: values.url });
  let kernel: Kernel | undefined;
  let interrupts = 0;
  process.on("SIGINT", () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write("\ninterrupting at the next step… (Ctrl-C again to quit now)\n");
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
    },
    (k) => (kernel = k),
  );
  if (values.summary) fs.writeFileSync(values.summary, JSON.stringify(summary, null, 2));
  return summary.status === "finished" ? 0 : summary.status === "interrupted" ? 130 : 1;
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
