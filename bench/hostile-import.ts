// A hostile import and what everyone else waits meanwhile (issue 17): while POST /api/runs/import refuses a zip
// that inflates hugely, GET /api/experiments is sent back to back and timed.
//
//   npm run bench:hostile                                  the API's handlers behind node:http, on a temp SQLite file
//   npm run bench:hostile -- --url http://127.0.0.1:3000   a running server instead (next start, say)
//
// The API runs in a child process, so its peak memory is its own (VmHWM, Linux); each zip gets a fresh one.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { serveOrRun } from "./api-server";
import { tempDatabase } from "./temp-database";
import { zerosZip } from "./zip-bomb";

const MB = 1024 * 1024;
const BASELINE_GETS = 30;


interface Server {
  base: string;
  /** peak resident memory of the server process in MB, when it is our child */
  peakMB(): number | null;
  stop(): void;
}

async function spawnServer(): Promise<Server> {
  const { dataDir, url } = tempDatabase();
  const self = fileURLToPath(import.meta.url);
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, self, "--serve"], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: url },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const base = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    child.stdout!.on("data", (d: Buffer) => {
      const m = /listening (\d+)/.exec(d.toString());
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
  });
  return {
    base,
    peakMB: () => {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kb = /VmHWM:\s+(\d+)/.exec(status);
      return kb ? Number(kb[1]) / 1024 : null;
    },
    stop: () => {
      child.kill();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function remote(base: string): Server {
  return { base, peakMB: () => null, stop: () => undefined };
}

/** run.json, code.ts and metrics.csv of a valid bundle: what the hostile zips carry beside their zeros. */
function bundleFiles(): Record<string, Uint8Array> {
  const manifest = { format: "zoetrope-run", version: 1, name: "hostile", status: "finished", hparams: {}, startedAt: new Date().toISOString() };
  const enc = new TextEncoder();
  return { "run.json": enc.encode(JSON.stringify(manifest)), "code.ts": enc.encode("// %%\n"), "metrics.csv": enc.encode("step,key,value,time\n") };
}

async function timedGet(base: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/experiments`);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`GET /api/experiments: ${res.status}`);
  return performance.now() - t0;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function measure(server: Server, label: string, zip: Uint8Array) {
  const { base } = server;
  const { id: experimentId } = await (await fetch(`${base}/api/experiments`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ title: "bench" }) })).json();
  const idle: number[] = [];
  for (let i = 0; i < BASELINE_GETS; i++) idle.push(await timedGet(base));
  const before = server.peakMB();

  let settled = false;
  const t0 = performance.now();
  const importing = fetch(`${base}/api/runs/import?experimentId=${experimentId}`, { method: "POST", headers: { "content-type": "application/zip" }, body: zip as Uint8Array<ArrayBuffer> }).then(async (res) => {
    const text = await res.text();
    settled = true;
    return { status: res.status, ms: performance.now() - t0, text };
  });
  const busy: number[] = [];
  while (!settled) busy.push(await timedGet(base));
  const result = await importing;
  const after = server.peakMB();

  console.log(`\n${label} (${(zip.byteLength / MB).toFixed(2)} MB on the wire)`);
  console.log(`  import: ${result.status} after ${ms(result.ms)}: ${result.text.slice(0, 160)}`);
  console.log(`  GET /api/experiments, idle: median ${ms(quantile(idle, 0.5))}, max ${ms(Math.max(...idle))} (${idle.length} requests)`);
  console.log(`  GET /api/experiments, during the import: median ${ms(quantile(busy, 0.5))}, p95 ${ms(quantile(busy, 0.95))}, max ${ms(Math.max(...busy))} (${busy.length} requests)`);
  if (before !== null && after !== null) console.log(`  server peak memory: ${before.toFixed(0)} MB before, ${after.toFixed(0)} MB after`);
  console.log(`  target, every concurrent GET within 200 ms: ${Math.max(...busy) <= 200 ? "met" : "MISSED"}`);
}

async function main() {
  const urlAt = process.argv.indexOf("--url");
  const url = urlAt > 0 ? process.argv[urlAt + 1] : undefined;
  const files = bundleFiles();
  const noCsv = { "run.json": files["run.json"], "code.ts": files["code.ts"] };
  const variants: [string, () => Uint8Array][] = [
    ["issue 17's zip: 8 entries of 200 MB of zeros (refused from the sizes its headers declare)", () => zerosZip(files, 8, 200)],
    ["the same, its headers declaring 1 byte an entry (refused by counting what inflates)", () => zerosZip(files, 8, 200, { declare: 1 })],
    ["one metrics.csv of 256 MB of zeros declaring 1 byte (refused by counting what inflates)", () => zerosZip(noCsv, 1, 256, { name: () => "metrics.csv", declare: 1 })],
  ];
  console.log(`hostile import: ${os.cpus().length} cores, Node ${process.version}${url ? `, against ${url}` : ""}`);
  for (const [label, make] of variants) {
    const zip = make();
    const server = url ? remote(url) : await spawnServer();
    try {
      await measure(server, label, zip);
    } finally {
      server.stop();
    }
  }
}

// Last, so every const above is initialised: as a child with --serve this process is the API server.
await serveOrRun(main);
