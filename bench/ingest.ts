// Metric ingest and read-back through the real HTTP API, against a baseline measured in the same run.
//
//   npm run bench:ingest            (tsx bench/ingest.ts)
//
// The API runs in a child process (bench/api-server.ts: the route handlers behind node:http, no Next build needed)
// on a temp SQLite file, then on a temp PostgreSQL server when PostgreSQL is installed; this process is the client,
// so client and server each get a core, as a browser worker and the server would. Request bodies are serialised before the clock starts: the figure is what the server sustains.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { serveOrRun } from "./api-server";
import { tempDatabase } from "./temp-database";
import { startTempPostgres, type TempPostgres } from "../scripts/temp-postgres";
import { migratePostgres } from "../lib/tracker/migrate-postgres";
import { SERIES_MIME, encodeSeries } from "../lib/tracker/series-wire";

const TOTAL = 1_000_000;
const BATCH = 10_000;
const KEYS = ["loss/d", "loss/g", "d/real", "d/fake"];
const CONCURRENCY = 2;
const READS = 5;
const BASELINE_ROWS = 20_000;



function spawnServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; base: string }> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, self, "--serve"], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout!.on("data", (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve({ child, base: `http://127.0.0.1:${m[1]}` });
    });
  });
}

type Body = { bytes: Uint8Array<ArrayBuffer>; type: string };
const jsonBody = (value: unknown): Body => ({
  bytes: new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value)),
  type: "application/json",
});

async function api(base: string, method: string, url: string, body?: Body) {
  const res = await fetch(base + url, {
    method,
    body: body?.bytes,
    headers: { "content-type": body?.type ?? "application/json" },
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res;
}

/** A GAN-like loss: noisy, full double precision, so number printing and parsing cost what they will in practice. */
function lossAt(step: number, k: number): number {
  return 0.7 + 0.3 * Math.exp(-step / 1e5) * Math.cos(step / 97 + k) + 0.05 * Math.sin(step * 12.9898 + k * 78.233);
}

/** 100 bodies of 10,000 {key, step, value, time} points: `keys` keys per step. */
function pointBodies(keys: string[], t0: number): Body[] {
  const steps = TOTAL / keys.length;
  const perBatch = BATCH / keys.length;
  const bodies: Body[] = [];
  for (let b = 0; b * perBatch < steps; b++) {
    const points = [];
    for (let s = b * perBatch; s < (b + 1) * perBatch; s++) {
      for (let k = 0; k < keys.length; k++) points.push({ key: keys[k], step: s, value: lossAt(s, k), time: t0 + s * 50 });
    }
    bodies.push(jsonBody({ batch: b, points }));
  }
  return bodies;
}

/** The same points by key: {batch, series: {key: {steps, values, times}}} as JSON, or the binary form. */
function columnBodies(keys: string[], t0: number, binary: boolean): Body[] {
  const perBatch = BATCH / keys.length;
  const bodies: Body[] = [];
  for (let b = 0; b * perBatch < TOTAL / keys.length; b++) {
    const steps = Array.from({ length: perBatch }, (_, i) => b * perBatch + i);
    const series = keys.map((key, k): [string, { steps: number[]; values: number[]; times: number[] }] => [
      key,
      { steps, values: steps.map((s) => lossAt(s, k)), times: steps.map((s) => t0 + s * 50) },
    ]);
    if (!binary) {
      bodies.push(jsonBody({ batch: b, series: Object.fromEntries(series) }));
      continue;
    }
    const typed = series.map(([key, c]): [string, { steps: Float64Array; values: Float64Array; times: Float64Array }] => [
      key,
      { steps: Float64Array.from(c.steps), values: Float64Array.from(c.values), times: Float64Array.from(c.times) },
    ]);
    bodies.push({ bytes: encodeSeries(typed, { batch: b }) as Uint8Array<ArrayBuffer>, type: SERIES_MIME });
  }
  return bodies;
}

async function newRun(base: string, title: string): Promise<string> {
  const { id: experimentId } = await (await api(base, "POST", "/api/experiments", jsonBody({ title }))).json();
  const run = jsonBody({ experimentId, code: "// bench", hparams: {} });
  const { id } = await (await api(base, "POST", "/api/runs", run)).json();
  return id;
}

/** Sends all bodies with a few requests in flight; returns points per second. */
/** Sum of a response's Server-Timing durations, ms. */
const serverMs = (res: Response) =>
  [...(res.headers.get("server-timing") ?? "").matchAll(/dur=([\d.]+)/g)].reduce((a, m) => a + Number(m[1]), 0);

async function ingest(base: string, runId: string, bodies: Body[]) {
  let next = 0;
  let accepted = 0;
  let handler = 0;
  const t = performance.now();
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const res = await api(base, "POST", `/api/runs/${runId}/metrics`, body);
      accepted += (await res.json()).accepted;
      handler += serverMs(res);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - t) / 1000;
  if (accepted !== TOTAL) throw new Error(`accepted ${accepted} of ${TOTAL}`);
  return { seconds, rate: TOTAL / seconds, handler: handler / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Times READS full GETs (response received in full); checks the point count once. */
async function timeRead(url: string, count: (res: Response) => Promise<number>, expected: number) {
  const times: number[] = [];
  const server: number[] = [];
  let bytes = 0;
  for (let i = 0; i < READS; i++) {
    const t = performance.now();
    const res = await fetch(url);
    const buf = await res.arrayBuffer();
    times.push(performance.now() - t);
    // Server-Timing: db;dur=…, encode;dur=… — the handler's own share of the wall time
    server.push(serverMs(res));
    bytes = buf.byteLength;
    if (i === 0) {
      const n = await count(new Response(buf, { headers: res.headers }));
      if (n !== expected) throw new Error(`${url}: read ${n} points, expected ${expected}`);
    }
  }
  return { ms: median(times), first: times[0], server: median(server), mb: bytes / 1e6 };
}

/** Baseline: the obvious Prisma way, one row per point via createMany in 10k chunks. */
async function baseline(): Promise<number> {
  const { db } = await import("../lib/tracker/db");
  const prisma = db();
  const { id: experimentId } = await prisma.experiment.create({ data: { title: "baseline", slug: "baseline" } });
  const { id: runId } = await prisma.run.create({ data: { experimentId, name: "baseline", code: "" } });
  const f64 = (v: number) => new Uint8Array(new Float64Array([v]).buffer);
  const rows = Array.from({ length: BASELINE_ROWS }, (_, i) => ({
    runId,
    key: KEYS[i % KEYS.length],
    batch: Math.floor(i / BATCH),
    count: 1,
    minStep: i,
    maxStep: i,
    steps: f64(i),
    values: f64(lossAt(i, 0)),
    times: f64(Date.now()),
  }));
  const t = performance.now();
  for (let i = 0; i < rows.length; i += BATCH) await prisma.metricChunk.createMany({ data: rows.slice(i, i + BATCH) });
  const rate = BASELINE_ROWS / ((performance.now() - t) / 1000);
  await prisma.$disconnect();
  return rate;
}

interface Figures {
  points: number;
  columns: number;
  binary: number;
  oneKey: number;
  json: number;
  bin: number;
}

/** Every ingest and read figure against one database, through a server process of its own. */
async function measure(label: string, env: NodeJS.ProcessEnv): Promise<Figures> {
  const { child, base } = await spawnServer(env);
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
  const say = (line: string) => console.log(`${label} ${line}`);
  try {
    const t0 = Date.now();
    // Warm-up: loads and compiles the route modules in the server, so the timed part measures steady state.
    const warm = await newRun(base, "warm-up");
    await api(base, "POST", `/api/runs/${warm}/metrics`, jsonBody({ batch: 0, points: [{ key: "x", step: 0, value: 1 }] }));
    await fetch(`${base}/api/runs/${warm}/metrics?keys=x&format=binary`).then((r) => r.arrayBuffer());

    const pointsForm = pointBodies(KEYS, t0);
    const mb = pointsForm.reduce((n, b) => n + b.bytes.length, 0) / 1e6;
    const a = await ingest(base, await newRun(base, "points form"), pointsForm);
    const secs = (r: { seconds: number; handler: number }) => `${r.seconds.toFixed(2)} s, handler ${r.handler.toFixed(2)} s`;
    say(`ingest, points form  : ${fmt(a.rate)} points/s  (1M points, ${KEYS.length} keys, 100 × 10k, ${mb.toFixed(0)} MB JSON; ${secs(a)})`);
    const b = await ingest(base, await newRun(base, "columns form"), columnBodies(KEYS, t0, false));
    say(`ingest, columns form : ${fmt(b.rate)} points/s  (${secs(b)})`);
    const d = await ingest(base, await newRun(base, "binary form"), columnBodies(KEYS, t0, true));
    say(`ingest, binary form  : ${fmt(d.rate)} points/s  (${secs(d)})`);

    // One series of 1M points, read back whole.
    const single = await newRun(base, "one key");
    const c = await ingest(base, single, pointBodies(["loss"], t0));
    say(`ingest, 1 key        : ${fmt(c.rate)} points/s  (${secs(c)})`);
    const q = `${base}/api/runs/${single}/metrics?keys=loss`;
    const { decodeSeries } = await import("../lib/tracker/series-wire");
    const json = await timeRead(q, async (r) => (await r.json()).series.loss.steps.length, TOTAL);
    const bin = await timeRead(`${q}&format=binary`, async (r) => decodeSeries(await r.arrayBuffer()).get("loss")!.steps.length, TOTAL);
    const down = await timeRead(`${q}&maxPoints=2000`, async (r) => (await r.json()).series.loss.total, TOTAL);
    const line = (name: string, r: { ms: number; first: number; server: number; mb: number }) =>
      say(`read 1M-point series, ${name}: ${r.ms.toFixed(0)} ms median of ${READS} (Server-Timing ${r.server.toFixed(0)} ms; first ${r.first.toFixed(0)} ms; ${r.mb.toFixed(1)} MB)`);
    line("JSON          ", json);
    line("binary        ", bin);
    line("maxPoints=2000", down);
    return { points: a.rate, columns: b.rate, binary: d.rate, oneKey: c.rate, json: json.ms, bin: bin.ms };
  } finally {
    child.kill();
  }
}

async function main() {
  const load = os.loadavg().map((l) => l.toFixed(1)).join(" ");
  console.log(`${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}; load average ${load}`);
  const { dataDir, url } = tempDatabase();
  Object.assign(process.env, { DATA_DIR: dataDir, DATABASE_URL: url });
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
  let postgres: TempPostgres | undefined;
  try {
    const sqlite = await measure("SQLite    ", { ...process.env, DATA_DIR: dataDir, DATABASE_URL: url });
    // The same on PostgreSQL (a temp server on this machine, fsync off like a test server), when it is installed.
    let pg: Figures | undefined;
    try {
      postgres = await startTempPostgres();
    } catch (e) {
      console.log(`PostgreSQL: skipped (${(e as Error).message})`);
    }
    if (postgres) {
      const pgUrl = await postgres.createDatabase("bench");
      await migratePostgres(pgUrl);
      pg = await measure("PostgreSQL", { ...process.env, DATA_DIR: dataDir, DATABASE_URL: pgUrl });
    }

    const rows = await baseline();
    console.log(`baseline: Prisma createMany on SQLite, a row per point: ${fmt(rows)} rows/s (${fmt(BASELINE_ROWS)} rows)`);
    const ratio = (r: number) => `${(r / rows).toFixed(0)}×`;
    console.log(`ratio to baseline, SQLite: points form ${ratio(sqlite.points)}, columns form ${ratio(sqlite.columns)}, binary form ${ratio(sqlite.binary)}`);
    if (pg) {
      const vs = (k: keyof Figures) => `${(pg[k] / sqlite[k]).toFixed(2)}`;
      console.log(`PostgreSQL / SQLite ingest rate: points ${vs("points")}, columns ${vs("columns")}, binary ${vs("binary")}, 1 key ${vs("oneKey")}; read time: JSON ${vs("json")}, binary ${vs("bin")}`);
    }
    const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
    for (const [label, f] of [["SQLite", sqlite], ["PostgreSQL", pg]] as const) {
      if (!f) continue;
      console.log(
        `targets (${label}): ingest >= 500,000 points/s: points ${verdict(f.points >= 5e5)}, columns ${verdict(f.columns >= 5e5)}, ` +
          `binary ${verdict(f.binary >= 5e5)}; read < 300 ms: JSON ${verdict(f.json < 300)}, binary ${verdict(f.bin < 300)}`,
      );
    }
  } finally {
    postgres?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

// Last, so every const above is initialised: as a child with --serve this process is the API server.
await serveOrRun(main);
