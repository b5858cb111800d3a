// How fast the sweep queue hands out work, on a temp PostgreSQL server on this machine.
//
//   npm run bench:queue            (tsx bench/queue.ts)   [--jobs N]  [--sweep-jobs N]
//
// 1. pg-boss alone: N no-op jobs through one worker process (batch 1, 4 slots, as `zoetrope worker` fetches): the
//    queue's own ceiling in jobs per minute, with and without taking the next job at once.
// 2. End to end: a sweep of trivial notebooks (one step each) queued with `zoetrope sweep --queue` and run by two
//    `zoetrope worker`s, each job a child `zoetrope run` recorded in the tracker; the baseline, in the same run, is the
//    same grid as a local `zoetrope sweep` (one run after another in one process tree, on SQLite).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { PgBoss } from "pg-boss";
import { migratePostgres } from "../lib/tracker/migrate-postgres";
import { startTempPostgres } from "../scripts/temp-postgres";

const { values } = parseArgs({ options: { jobs: { type: "string", default: "500" }, "sweep-jobs": { type: "string", default: "12" } } });
const JOBS = Number(values.jobs);
const SWEEP_JOBS = Number(values["sweep-jobs"]);
const BIN = path.resolve("bin", "zoetrope.js");

function zoetrope(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => resolve({ code, out }));
  });
}

/** Jobs per minute through `slots` worker slots of one process, polling every second (with `burst`, a slot that
 * finishes takes the next job at once, as `zoetrope worker` does). */
async function rawHandOut(url: string, queue: string, burst: boolean): Promise<number> {
  // Supervising, as a worker does: its passes keep the queue's ready count that burst mode reads.
  const boss = new PgBoss({ connectionString: url, supervise: true, superviseIntervalSeconds: 5, monitorIntervalSeconds: 5, queueCacheIntervalSeconds: 1, max: 6 });
  await boss.start();
  await boss.createQueue(queue);
  await boss.insert(queue, Array.from({ length: JOBS }, (_, i) => ({ data: { i } })));
  let done = 0;
  const t = performance.now();
  let allDone!: () => void;
  const finished = new Promise<void>((resolve) => (allDone = resolve));
  // Awaited, so a refused option fails main() (and its finally stops the server) rather than the process.
  await boss.work(queue, { batchSize: 1, localConcurrency: 4, pollingIntervalSeconds: 1, ...(burst ? { burstWhenReadyExceeds: 1 } : {}) }, async () => {
    if (++done === JOBS) allDone();
  });
  await finished;
  const seconds = (performance.now() - t) / 1000;
  await boss.stop({ graceful: false });
  return (JOBS / seconds) * 60;
}

async function main() {
  const load = os.loadavg().map((l) => l.toFixed(1)).join(" ");
  console.log(`${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}; load average ${load}`);
  const server = await startTempPostgres();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-bench-queue-"));
  try {
    const url = await server.createDatabase("bench");
    await migratePostgres(url);
    const polled = await rawHandOut(url, "bench-polled", false);
    const burst = await rawHandOut(url, "bench-burst", true);
    const n = (x: number) => Math.round(x).toLocaleString("en-US");
    console.log(`pg-boss alone, ${JOBS} no-op jobs, batch 1, 4 slots: ${n(burst)} jobs/minute taking the next job at once; ${n(polled)} polling each slot every second`);

    const notebook = path.join(dir, "trivial.ts");
    fs.writeFileSync(notebook, ['// %% One step', "const c = config({ k: 0 });", "log({ loss: c.k }, 0);", ""].join("\n"));
    const grid = `k=${Array.from({ length: SWEEP_JOBS }, (_, i) => i).join(",")}`;
    const env = { ...process.env, DATABASE_URL: url, DATA_DIR: path.join(dir, "data") };

    const t0 = performance.now();
    const local = await zoetrope(["sweep", notebook, "--grid", grid, "--backend", "cpu", "--db", path.join(dir, "local.db")], env);
    if (local.code !== 0) throw new Error(`local sweep failed:\n${local.out}`);
    const localSeconds = (performance.now() - t0) / 1000;

    const t1 = performance.now();
    const queued = await zoetrope(["sweep", notebook, "--grid", grid, "--backend", "cpu", "--queue", "bench"], env);
    if (queued.code !== 0) throw new Error(`enqueue failed:\n${queued.out}`);
    const workers = [0, 1].map(() => spawn(process.execPath, [BIN, "worker", "--queue", "bench"], { env, stdio: "ignore" }));
    const probe = new PgBoss({ connectionString: url, supervise: false, max: 2 });
    await probe.start();
    for (;;) {
      const jobs = await probe.findJobs("bench", { limit: 100_000 });
      if (jobs.length === SWEEP_JOBS && jobs.every((j) => j.state === "completed")) break;
      if (jobs.some((j) => j.state === "failed")) throw new Error("a trivial job failed");
      await new Promise((r) => setTimeout(r, 100));
    }
    const queuedSeconds = (performance.now() - t1) / 1000;
    await probe.stop({ graceful: false });
    for (const w of workers) w.kill("SIGINT");

    const perMinute = (s: number) => ((SWEEP_JOBS / s) * 60).toFixed(0);
    console.log(`local zoetrope sweep (baseline): ${SWEEP_JOBS} trivial runs in ${localSeconds.toFixed(1)} s, ${perMinute(localSeconds)} runs/minute`);
    console.log(`queued, 2 workers × 1          : ${SWEEP_JOBS} trivial runs in ${queuedSeconds.toFixed(1)} s, ${perMinute(queuedSeconds)} runs/minute (enqueue included)`);
    console.log(`ratio queued / local: ${(localSeconds / queuedSeconds).toFixed(2)}× the runs per minute`);
  } finally {
    server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
