// The notebook page with its kernel on the server, in headless Chromium against a real server on a fresh SQLite
// file: the hello notebook run to a recorded run on the server's backend, a reload in the middle of training that
// finds the kernel still training and its outputs still arriving, interrupt and restart, a stuck cell whose process
// is replaced while the server goes on answering, and the kernels list with its shut-down button.
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExperiment, withConfig } from "./fixtures";
import { ensureBuild, kernelStatus, launchBrowser, resultsPath, runOnServer, startServer, type TestServer } from "./helpers";
import { formatTasks, mainThreadReport, watchMainThread } from "./smoothness";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

let server: TestServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  ensureBuild();
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

const newExperiment = (title: string, notebook: string) => createExperiment(server.url, title, notebook);

const cell = (page: Page, n: number): Locator => page.locator("[data-cell-id]").nth(n);

/** Opens a notebook page, collecting page errors, and moves its kernel to the server. */
async function openOnServer(slug: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.url}/experiments/${slug}`);
  await kernelStatus(page, "idle");
  await runOnServer(page);
  return { page, errors };
}

/** The steps the (first) progress bar of a cell shows as done. */
async function progressDone(c: Locator): Promise<number> {
  return c.locator("progress").first().evaluate((el: HTMLProgressElement) => el.value);
}

describe("a server kernel in the notebook page", () => {
  it("runs the hello notebook, and a reload mid-training finds it still training", async () => {
    const hello = fs.readFileSync(path.join(ROOT, "experiments", "hello.ts"), "utf8");
    const slug = await newExperiment("Hello on the server", withConfig(hello, { steps: 400, sampleEvery: 100 }));
    const { page, errors } = await openOnServer(slug);
    expect(await page.getByLabel("Backend", { exact: true }).textContent()).toMatch(/server · (native CPU|WASM|WebGPU)/);

    const started = Date.now();
    await page.getByRole("button", { name: "Run all" }).click();
    let train = page.locator("[data-cell-id]", { hasText: "await fit(" });
    await expect.poll(() => train.locator("progress[value]").count().then((n) => (n > 0 ? progressDone(train) : 0)), { timeout: 120_000 }).toBeGreaterThan(20);

    // A reload (or closing the laptop): the page joins the same kernel, which never stopped.
    await page.reload();
    train = page.locator("[data-cell-id]", { hasText: "await fit(" });
    await page.getByLabel("Backend", { exact: true }).filter({ hasText: "server" }).waitFor();
    await watchMainThread(page);
    await train.getByRole("progressbar").first().waitFor({ timeout: 30_000 });
    expect(await train.getAttribute("data-status")).toBe("running");
    const afterReload = await progressDone(train);
    await expect.poll(() => progressDone(train), { timeout: 60_000 }).toBeGreaterThan(afterReload); // still arriving
    await train.scrollIntoViewIfNeeded();
    await train.locator("[data-output=live-metrics] .uplot canvas").first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: resultsPath("notebook-server-kernel.png") });
    await page.locator("[data-cell-id][data-status='running']").waitFor({ state: "detached", timeout: 180_000 });
    const trainMs = Date.now() - started;
    const smoothness = await mainThreadReport(page, 0);
    await expect.poll(() => cell(page, -1).locator("img").count(), { timeout: 30_000 }).toBeGreaterThan(0);

    // The run the server's manager recorded and ended, on the server's backend.
    const item = page.getByRole("complementary").locator("li[data-run-id]").first();
    await expect.poll(() => item.textContent(), { timeout: 15_000 }).toMatch(/finished|failed|interrupted/);
    const run = await (await fetch(`${server.url}/api/runs/${await item.getAttribute("data-run-id")}`)).json();
    expect(run).toMatchObject({ status: "finished", error: null });
    expect(run.hparams).toMatchObject({ steps: 400 });
    expect(run.device).toMatchObject({ runtime: expect.stringMatching(/^node /) });
    console.log(`hello (400 steps) on a server kernel (${run.backend}), a reload in the middle: ${(trainMs / 1000).toFixed(1)} s; after the reload: ${formatTasks(smoothness)}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("interrupts and restarts, replaces a stuck kernel, and shuts one down from the kernels list", async () => {
    const slug = await newExperiment(
      "Server controls",
      "// %% keep\nconst kept = 41;\n\n// %% wait\nfor (;;) { await new Promise((r) => setTimeout(r, 10)); if (signal.aborted) throw signal.reason; }\n\n// %% spin\nwhile (true) {}\n\n// %% read\nkept + 1\n",
    );
    const { page, errors } = await openOnServer(slug);
    const runCell = async (n: number) => {
      await cell(page, n).click();
      await page.getByRole("button", { name: "Run cell" }).click();
    };
    await runCell(0);
    await expect.poll(() => cell(page, 0).getAttribute("data-status")).toBe("idle");

    // Cooperative: a cell that awaits stops, and the kernel keeps its variables.
    await runCell(1);
    await page.locator("[data-cell-id][data-status='running']").waitFor();
    await page.getByRole("button", { name: "Interrupt" }).click();
    await expect.poll(() => cell(page, 1).getAttribute("data-status"), { timeout: 15_000 }).toBe("interrupted");
    await runCell(3);
    await expect.poll(() => cell(page, 3).locator("[data-output=text]").textContent(), { timeout: 15_000 }).toBe("42");

    // Stuck in synchronous code: the process is replaced, the variables are lost, the server answers throughout.
    await runCell(2);
    await page.locator("[data-cell-id][data-status='running']").waitFor();
    await page.getByRole("button", { name: "Interrupt" }).click();
    expect((await fetch(`${server.url}/api/experiments/${slug}`)).status).toBe(200);
    await page.getByText("every variable was lost").waitFor({ timeout: 15_000 });
    await kernelStatus(page, "idle");
    await runCell(3);
    await cell(page, 3).getByRole("alert").waitFor({ timeout: 15_000 }); // kept is gone
    expect(await cell(page, 3).getByRole("alert").textContent()).toContain("kept");

    // Restart: a fresh process; the kernels list shows one kernel for this notebook, and shuts it down.
    await page.getByRole("button", { name: "Restart kernel" }).click();
    await kernelStatus(page, "idle");
    const list = await context.newPage();
    list.on("dialog", (d) => void d.accept());
    await list.goto(`${server.url}/kernels`);
    const rows = list.getByRole("table", { name: "Running kernels" }).locator("tbody tr", { hasText: "Server controls" });
    expect(await rows.count()).toBe(1);
    const shutDown = await rows.getAttribute("data-kernel-id");
    await list.screenshot({ path: resultsPath("kernels-list.png") });
    await rows.getByRole("button", { name: "Shut down" }).click();
    await list.locator(`tr[data-kernel-id="${shutDown}"]`).waitFor({ state: "detached", timeout: 15_000 });
    // The page hears it and starts a fresh kernel for itself.
    await page.getByText("the server kernel was shut down").first().waitFor({ timeout: 15_000 });
    await kernelStatus(page, "idle");
    await list.reload();
    expect(await rows.getAttribute("data-kernel-id")).not.toBe(shutDown);
    expect(errors).toEqual([]);
    await list.close();
    await page.close();
  });
});
