// Harness for browser tests: a production build of the app, served on a fresh SQLite file in a temp folder (or on
// the PostgreSQL database a test passes as DATABASE_URL) by
// scripts/server.js (what `npm start` runs: Next behind the method guard), and a headless Chromium driven by
// playwright-core. Each server runs in its own process group so that stopping it also stops any child it started.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const BIN = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
// What a build depends on; a newer file under any of these makes the build stale.
const SOURCES = ["app", "components", "lib", "prisma/schema.prisma", "prisma/postgres/schema.prisma", "next.config.js", "package.json", "tsconfig.json"];
const SKIP_DIRS = new Set(["node_modules", ".next", "generated", "generated-pg"]);

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

function newestMtime(p: string): number {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p, { withFileTypes: true })) {
    if (entry.isDirectory() && SKIP_DIRS.has(entry.name)) continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry.name)));
  }
  return newest;
}

/**
 * Builds the kernel's worker, the wasm files and the editor's files (always: they rewrite only what changed), then runs
 * `next build` when there is no build, it is older than the sources, or in CI (once per run there, by global-setup.ts).
 */
export function ensureBuild(): void {
  for (const script of ["scripts/build-kernel.ts", "scripts/build-monaco.ts"]) {
    const step = spawnSync(BIN("tsx"), [script], { cwd: ROOT, encoding: "utf8" });
    if (step.status !== 0) throw new Error(`${script} failed (${step.status}):\n${step.stdout}\n${step.stderr}`);
  }
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  const built = fs.statSync(buildId, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const stale = SOURCES.some((s) => newestMtime(path.join(ROOT, s)) > built);
  // Outside CI a current build is trusted; in CI only one made by this run.
  const trusted = !process.env.CI || process.env.ZOETROPE_BUILT_THIS_RUN === "1";
  if (trusted && built > 0 && !stale) return;
  const started = Date.now();
  const result = spawnSync(BIN("next"), ["build"], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`next build failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  console.log(`next build: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface TestServer {
  url: string;
  dataDir: string;
  /** What the server printed, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Migrates a fresh database in a temp folder and serves the built app on it; `extraEnv` e.g. ZOETROPE_PASSWORD.
 * Given `existing`, serves that data folder (its zoetrope.db, samples and checkpoints) instead, and keeps it on stop.
 */
export async function startServer(extraEnv: Record<string, string> = {}, existing?: string): Promise<TestServer> {
  const dataDir = existing ?? fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-browser-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: `file:${path.join(dataDir, "zoetrope.db")}`,
    ...extraEnv,
    // vitest sets NODE_ENV=test; the server runs as production (it sets this itself too).
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATA_DIR: dataDir,
  };
  const migrate = spawnSync(BIN("tsx"), ["scripts/migrate.ts"], { cwd: ROOT, env, encoding: "utf8" });
  if (migrate.status !== 0) throw new Error(`migrating the database failed:\n${migrate.stdout}\n${migrate.stderr}`);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  // detached: the server leads a new process group (setsid), so -pid signals reach its children too.
  const child: ChildProcess = spawn(process.execPath, ["scripts/server.js"], {
    cwd: ROOT,
    env: { ...env, HOST: "127.0.0.1", PORT: String(port) },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup(child, "SIGTERM");
      const done = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
      if (!done) signalGroup(child, "SIGKILL");
      await exited;
    }
    // Stray children of the group may outlive the leader; one last SIGKILL to the group covers them.
    signalGroup(child, "SIGKILL");
    if (!existing) fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitForReady(url, child, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, dataDir, logs: () => output, stop };
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForReady(url: string, child: ChildProcess, logs: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${logs()}`);
    try {
      const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(5000) });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await delay(250);
  }
  throw new Error(`the server was not ready within ${timeoutMs} ms:\n${logs()}`);
}

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS, ...extraArgs],
    headless: true,
  });
}

/** Where screenshots go (git-ignored), created on demand. */
export function resultsPath(file: string): string {
  const dir = path.join(ROOT, "test-results");
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, file);
}

/** Waits until the notebook page's kernel status reads `status`. */
export function kernelStatus(page: Page, status: string, timeout = 60_000): Promise<void> {
  return page.getByRole("status", { name: "Kernel status" }).filter({ hasText: status }).waitFor({ timeout });
}

/** Moves an open notebook page's kernel to the server (Run on: server) and waits until it is idle there. */
export async function runOnServer(page: Page, timeout = 60_000): Promise<void> {
  await page.getByLabel("Run on").selectOption("server");
  await page.getByLabel("Backend", { exact: true }).filter({ hasText: "server" }).waitFor({ timeout });
  await kernelStatus(page, "idle", timeout);
}
