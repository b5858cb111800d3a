// The real kernel in a real dedicated module Web Worker (lib/runner/worker.ts, bundled here with esbuild) in headless
// Chromium, driven through KernelClient with no tracker. The backend is wasm (the threaded SIMD build: the page
// server's COOP/COEP headers make the worker cross-origin isolated), as the notebook gets on a machine whose only GPU
// is a software one. Checks: shared variables across cells and re-runs, a shown video as a GIF, a logged metric, an
// error's line, a cooperative interrupt that keeps the variables, and a stuck cell that costs the whole kernel.
import { build } from "esbuild";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "./helpers";
import { serveBundle, type PageServer } from "./page-server";
import type { CellRun, KernelHarness } from "./pages/kernel-entry";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const WASM_DIST = path.join(path.dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist");
const GRACE_MS = 1000;

let server: PageServer;
let browser: Browser;
let page: Page;
let workerDir: string;
const errors: string[] = [];
/** How much of the page's event log afterEach has already checked. */
let checked = 0;

/** Calls a method of the page's kernelHarness. */
function call<K extends keyof KernelHarness>(method: K, ...args: Parameters<KernelHarness[K]>): Promise<Awaited<ReturnType<KernelHarness[K]>>> {
  return page.evaluate(
    ([m, a]) => {
      const h = (globalThis as unknown as { kernelHarness: Record<string, (...x: unknown[]) => unknown> }).kernelHarness;
      return h[m](...a);
    },
    [method, args] as [string, unknown[]],
  ) as Promise<Awaited<ReturnType<KernelHarness[K]>>>;
}

const texts = (run: CellRun) => run.outputs.filter((o) => o.text !== undefined).map((o) => o.text!.trim());

beforeAll(async () => {
  // A module worker: one ESM file. Node-only branches of lib/gan (node:*, webgpu) are never reached in a browser.
  workerDir = fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-kernel-worker-"));
  await build({
    entryPoints: [path.join(ROOT, "lib", "runner", "worker.ts")],
    outfile: path.join(workerDir, "kernel-worker.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    logLevel: "error",
    external: ["webgpu", "node:*"],
  });
  server = await serveBundle(path.join(import.meta.dirname, "pages", "kernel-entry.ts"), {
    title: "kernel",
    dirs: { "/worker/": workerDir, "/wasm/": WASM_DIST },
  });
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on("pageerror", (e) => errors.push(`page: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && errors.push(`page console: ${m.text()}`));
  page.on("worker", (w) => w.on("console", (m) => m.type() === "error" && errors.push(`worker console: ${m.text()}`)));
  await page.goto(server.url);
  await page.waitForFunction(() => "kernelHarness" in globalThis);
  const info = await call("start", "wasm", GRACE_MS);
  const worker = page.workers().find((w) => w.url().endsWith("/kernel-worker.js"));
  const isolated = await worker?.evaluate(() => globalThis.crossOriginIsolated);
  console.log(`kernel: ${JSON.stringify(info)}, worker cross-origin isolated (threaded wasm): ${isolated}`);
  expect(info.backend).toBe("wasm");
}, 120_000);

/** The warnings the kernel sent since the last look. */
async function newWarnings(): Promise<string[]> {
  const log = await call("log");
  const fresh = log.slice(checked).filter((l) => l.includes('"op":"warning"'));
  checked = log.length;
  return fresh;
}

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail") console.log((await call("log")).join("\n"));
  expect(errors).toEqual([]);
  expect(await newWarnings()).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (workerDir) fs.rmSync(workerDir, { recursive: true, force: true });
});

describe("the kernel in a Web Worker", { timeout: 30_000 }, () => {
  it("shares variables between cells, and a re-run rebinds them", async () => {
    expect((await call("run", "c1", "const x: number = 20;")).outcome).toBe("ok");
    const first = await call("run", "c2", "x + 1");
    expect(first.outcome).toBe("ok");
    expect(texts(first)).toEqual(["21"]);
    expect((await call("run", "c1", "const x = 5;")).outcome).toBe("ok");
    expect(texts(await call("run", "c2", "x + 1"))).toEqual(["6"]);
  });

  it("shows a video tensor as a GIF", async () => {
    const run = await call("run", "c3", "show(tf.zeros([4, 8, 8, 1]));");
    expect(run.outcome).toBe("ok");
    const gif = run.outputs.find((o) => o.mime === "image/gif");
    expect(gif, JSON.stringify(run.outputs)).toBeDefined();
    expect(gif!.magic).toBe("GIF8");
    expect(gif!.bytes).toBeGreaterThan(20);
  });

  it("sends logged metrics to the page", async () => {
    const run = await call("run", "c4", "log({ loss: 1.5 }, 3);");
    expect(run.outcome).toBe("ok");
    expect(run.metrics).toHaveLength(1);
    expect(run.metrics[0]).toMatchObject({ key: "loss", step: 3, value: 1.5 });
  });

  it("reports an error on the cell's own line", async () => {
    const run = await call("run", "c5", "const y = 1;\nthrow new Error('boom');\n");
    expect(run.outcome).toBe("error");
    const error = run.outputs.find((o) => o.error)?.error;
    expect(error).toMatchObject({ message: "boom", line: 2 });
  });

  it("interrupts a cell that awaits, keeping every variable", async () => {
    const loop = "for (let i = 0; ; i++) { await new Promise(r => setTimeout(r, 10)); if (signal.aborted) throw signal.reason; }";
    const { run, latencyMs } = await call("runAndInterrupt", "c6", loop, 300);
    console.log(`cooperative interrupt: ${latencyMs.toFixed(1)} ms to cell-finished`);
    expect(run.outcome).toBe("interrupted");
    expect(run.replaced).toBeUndefined();
    expect(latencyMs).toBeLessThan(1000);
    expect(texts(await call("run", "c2", "x + 1"))).toEqual(["6"]);
    // The grace period passes without a replacement: the kernel went idle in time.
    await new Promise((r) => setTimeout(r, GRACE_MS + 300));
    expect(texts(await call("run", "c7", "x"))).toEqual(["5"]);
    expect((await call("log")).filter((l) => l.includes("kernel-replaced"))).toEqual([]);
  });

  it("keeps a kernel that is slow to stop but still answering (a long step that awaits)", async () => {
    // Ignores the signal for 2.5 s but keeps awaiting, as a training step longer than the grace period does.
    const slow = "const t0 = Date.now(); while (Date.now() - t0 < 2500) await new Promise(r => setTimeout(r, 20)); 'slow done'";
    const { run, latencyMs } = await call("runAndInterrupt", "c6b", slow, 100);
    console.log(`slow but answering: finished ${latencyMs.toFixed(0)} ms after interrupt, not replaced`);
    expect(run.replaced).toBeUndefined();
    expect(run.outcome).toBe("interrupted");
    expect(latencyMs).toBeGreaterThan(GRACE_MS);
    expect(texts(await call("run", "c7b", "x"))).toEqual(["5"]);
  });

  it("reports a stray callback's error as a warning, without losing the kernel", async () => {
    await newWarnings();
    const code = "setTimeout(() => { throw new Error('late'); }, 0);\nconst lost = Promise.reject(new Error('nobody awaited'));";
    expect((await call("run", "c11", code)).outcome).toBe("ok");
    await new Promise((r) => setTimeout(r, 300));
    const warnings = await newWarnings();
    expect(warnings).toHaveLength(2);
    expect(warnings.join("\n")).toMatch(/uncaught error: .*late/);
    expect(warnings.join("\n")).toMatch(/unhandled rejection: Error: nobody awaited/);
    expect(texts(await call("run", "c7", "x"))).toEqual(["5"]);
  });

  it("replaces a kernel stuck in synchronous code, losing its variables", async () => {
    const { run, latencyMs, readyMs } = await call("runAndInterrupt", "c8", "while (true) {}", 200);
    console.log(
      `stuck cell: kernel-replaced ${latencyMs.toFixed(0)} ms after interrupt (grace ${GRACE_MS} ms), ` +
        `fresh kernel idle after ${readyMs!.toFixed(0)} ms`,
    );
    expect(run.outcome).toBeUndefined();
    expect(run.replaced).toMatch(/stuck in synchronous code; the kernel was restarted and every variable was lost/);
    expect(latencyMs).toBeGreaterThanOrEqual(GRACE_MS - 5);
    expect(latencyMs).toBeLessThan(GRACE_MS + 1000);
    const log = await call("log");
    const tail = log.slice(log.findIndex((l) => l.includes("kernel-replaced")) - 1);
    expect(tail.slice(0, 3)).toEqual([
      JSON.stringify({ op: "status", status: "dead" }),
      expect.stringContaining("kernel-replaced"),
      JSON.stringify({ op: "status", status: "starting" }),
    ]);
    expect(texts(await call("run", "c9", "1 + 1"))).toEqual(["2"]);
    expect(texts(await call("run", "c10", "typeof x"))).toEqual(["undefined"]);
  });
});
