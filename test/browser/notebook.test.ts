// The notebook page as a person uses it, in headless Chromium against a real `next start` on a fresh SQLite file:
// Run all on the hello notebook (progress, a live chart, videos, the run in the panel and on its page), edits that
// survive a reload, two tabs that do not overwrite each other, a stuck cell recovered by Interrupt, type and runtime
// errors shown at their line, and the WebGL backend forced from the toolbar.
import fs from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExperiment, postJson, withConfig } from "./fixtures";
import { ensureBuild, kernelStatus, launchBrowser, resultsPath, startServer, type TestServer } from "./helpers";
import { formatSmoothness, mainThreadReport, typeInto, watchMainThread } from "./smoothness";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

let server: TestServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  ensureBuild();
  server = await startServer();
  // WebGPU on: the page must cope with a software adapter (it picks the faster wasm backend over it).
  browser = await launchBrowser(["--enable-unsafe-webgpu"]);
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

const newExperiment = (title: string, notebook: string) => createExperiment(server.url, title, notebook);

async function experimentId(slug: string): Promise<string> {
  return (await (await fetch(`${server.url}/api/experiments/${slug}`)).json()).id;
}

/** Opens a notebook page, collecting page errors, and waits until its kernel is idle. */
async function openNotebook(slug: string, ctx: BrowserContext = context): Promise<{ page: Page; errors: string[] }> {
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${server.url}/experiments/${slug}`);
  await kernelStatus(page, "idle");
  return { page, errors };
}

const cell = (page: Page, n: number): Locator => page.locator("[data-cell-id]").nth(n);

/** Clicks into a cell's editor and types at the end of its text. */
async function typeInCell(page: Page, n: number, text: string): Promise<void> {
  await cell(page, n).locator(".monaco-editor .view-lines").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(text);
}

function cellText(page: Page, n: number): Promise<string> {
  return cell(page, n).locator(".monaco-editor .view-lines").innerText().then((t) => t.replace(/\u00a0/g, " "));
}

/** Waits until the server holds text containing `expected` and the page says so. */
async function waitForSaved(page: Page, slug: string, expected: string) {
  await expect.poll(async () => (await (await fetch(`${server.url}/api/experiments/${slug}`)).json()).notebook, { timeout: 10_000 }).toContain(expected);
  await page.getByRole("button", { name: "Saved" }).waitFor({ timeout: 10_000 });
}

/** The hello notebook, with fewer steps so that it trains in seconds here. */
function helloNotebook(): string {
  return withConfig(fs.readFileSync(path.join(ROOT, "experiments", "hello.ts"), "utf8"), { steps: 60, sampleEvery: 20 });
}

describe("the notebook page", () => {
  it("runs the hello notebook: progress, a live chart and videos; the run is in the panel and on its page", async () => {
    const slug = await newExperiment("Hello notebook", helloNotebook());
    const { page, errors } = await openNotebook(slug);
    await watchMainThread(page);

    const started = Date.now();
    await page.getByRole("button", { name: "Run all" }).click();
    const train = page.locator("[data-cell-id]", { hasText: "await fit(" });
    const last = page.locator("[data-cell-id]").last();
    await train.getByRole("progressbar").first().waitFor({ timeout: 120_000 });
    await train.scrollIntoViewIfNeeded();
    await train.locator("[data-output=live-metrics] .uplot canvas").first().waitFor({ timeout: 60_000 });
    // A person writes the next cell while the model trains: each key's echo is measured (smoothness.ts).
    const keys = await typeInto(page, last, "\n// written while the model trains");
    expect(await train.getAttribute("data-status")).toBe("running");
    // The picture for the README: mid-training, with lines in the live chart.
    await train.scrollIntoViewIfNeeded();
    await page.screenshot({ path: resultsPath("notebook-training.png") });
    await page.locator("[data-cell-id][data-status='running']").waitFor({ state: "detached", timeout: 180_000 });
    const trainMs = Date.now() - started;
    const smoothness = await mainThreadReport(page, keys);

    // The last cell shows a video of samples; the Train cell received samples too.
    expect(await last.getAttribute("data-status")).toBe("idle");
    await expect.poll(() => last.locator("img").count()).toBeGreaterThan(0);
    expect(await train.locator("img").count()).toBeGreaterThan(0);

    console.log(`hello (60 steps) in the page: ${(trainMs / 1000).toFixed(1)} s; ${formatSmoothness(smoothness)}`);
    expect(await cellText(page, -1)).toContain("written while the model trains");

    // The panel lists the run as finished; its page has the metrics and the samples.
    const panel = page.getByRole("complementary");
    const item = panel.locator("li[data-run-id]").first();
    await expect.poll(() => item.textContent(), { timeout: 15_000 }).toContain("finished");
    const runId = await item.getAttribute("data-run-id");
    const run = await (await fetch(`${server.url}/api/runs/${runId}`)).json();
    expect(run.code).toContain("await fit(");
    expect(run.hparams).toMatchObject({ model: "mocogan", steps: 60 });
    expect(run.device).toMatchObject({ cores: expect.any(Number), userAgent: expect.stringContaining("Chrome") });
    expect(Object.keys(run.lastMetrics).length).toBeGreaterThan(0);

    await item.getByRole("link").click();
    await page.waitForURL(`**/runs/${runId}`);
    await page.locator(".js-plotly-plot").first().waitFor({ timeout: 30_000 });
    await page.locator("img[src*='/api/samples/']").first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: resultsPath("notebook-run-page.png") });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("keeps the page fluid while the MoCoGAN example trains: the figures of the long tasks and of typing", async () => {
    // Its own defaults but a few steps: the page's work per step (metrics, samples, progress) is what is measured.
    const text = fs.readFileSync(path.join(ROOT, "experiments", "mocogan.ts"), "utf8");
    const slug = await newExperiment("MoCoGAN", withConfig(text, { steps: 24, sampleEvery: 6, evaluateN: 0 }));
    const { page, errors } = await openNotebook(slug);
    await watchMainThread(page);
    const started = Date.now();
    await page.getByRole("button", { name: "Run all" }).click();
    const train = page.locator("[data-cell-id]", { hasText: "await fit(" }).first();
    await train.getByRole("progressbar").first().waitFor({ timeout: 120_000 });
    await train.scrollIntoViewIfNeeded();
    await train.locator("[data-output=live-metrics] .uplot canvas").first().waitFor({ timeout: 120_000 });
    const keys = await typeInto(page, train, "\n// written while the model trains");
    await page.locator("[data-cell-id][data-status='running']").waitFor({ state: "detached", timeout: 300_000 });
    const smoothness = await mainThreadReport(page, keys);
    console.log(`MoCoGAN (24 steps) in the page: ${((Date.now() - started) / 1000).toFixed(1)} s; ${formatSmoothness(smoothness)}`);
    expect(await page.locator("[data-cell-id][data-status='error']").count()).toBe(0);
    expect(await train.locator("img").count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("saves an edit and shows it again after a reload", async () => {
    const slug = await newExperiment("Edits", "// %% a\nconst a = 1;\n");
    const { page, errors } = await openNotebook(slug);
    await typeInCell(page, 0, "\nconst b = a + 41;");
    await waitForSaved(page, slug, "const b = a + 41;");
    await page.reload();
    await kernelStatus(page, "idle");
    expect(await cellText(page, 0)).toContain("const b = a + 41;");
    const stored = await (await fetch(`${server.url}/api/experiments/${slug}`)).json();
    expect(stored.notebook).toBe("// %% a\nconst a = 1;\nconst b = a + 41;\n");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("warns instead of overwriting when two tabs edit the same notebook", async () => {
    const slug = await newExperiment("Two tabs", "// %% a\nconst a = 1;\n");
    const first = await openNotebook(slug);
    const second = await openNotebook(slug);
    await typeInCell(first.page, 0, "\n// from the first tab");
    await waitForSaved(first.page, slug, "from the first tab");
    await typeInCell(second.page, 0, "\n// from the second tab");
    const banner = second.page.getByRole("alert").filter({ hasText: "saved elsewhere" });
    await banner.waitFor({ timeout: 10_000 });
    // Nothing was overwritten: the stored text is the first tab's.
    const stored = await (await fetch(`${server.url}/api/experiments/${slug}`)).json();
    expect(stored.notebook).toContain("from the first tab");
    expect(stored.notebook).not.toContain("from the second tab");
    await banner.getByRole("button", { name: "Load theirs" }).click();
    await expect.poll(() => cellText(second.page, 0)).toContain("from the first tab");
    await first.page.close();
    await second.page.close();
  });

  it("recovers from a stuck cell with Interrupt, and the page stays responsive", async () => {
    const slug = await newExperiment("Stuck", "// %% a\nlet n = 41;\n\n// %% loop\nwhile (true) {}\n\n// %% b\nn + 1\n");
    const { page, errors } = await openNotebook(slug);
    await page.getByRole("button", { name: "Run all" }).click();
    await page.locator("[data-cell-id][data-status='running']").waitFor();
    // The main thread answers while the worker spins.
    const t0 = Date.now();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    const frameMs = Date.now() - t0;
    await page.getByRole("button", { name: "Interrupt" }).click();
    await page.getByText("every variable was lost").waitFor({ timeout: 15_000 });
    await kernelStatus(page, "idle");
    expect(await cell(page, 1).getAttribute("data-status")).toBe("interrupted");
    // A fresh kernel runs cells again; Restart kernel too.
    await page.getByRole("button", { name: "Restart kernel" }).click();
    await kernelStatus(page, "idle");
    await cell(page, 0).click();
    await page.getByRole("button", { name: "Run cell" }).click();
    await expect.poll(() => cell(page, 0).getAttribute("data-status")).toBe("idle");
    console.log(`a frame while the kernel spun: ${frameMs} ms`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows a type error as a squiggle and a runtime error at its line", async () => {
    const slug = await newExperiment("Errors", '// %% typed\nconst x: number = "s";\n\n// %% fails\nconst y = 1;\nthrow new RangeError("bad shape");\n');
    const { page } = await openNotebook(slug);
    await cell(page, 0).locator(".squiggly-error").first().waitFor({ timeout: 60_000 });
    expect(await cell(page, 1).locator(".squiggly-error").count()).toBe(0);
    await cell(page, 1).click();
    await page.getByRole("button", { name: "Run cell" }).click();
    const error = cell(page, 1).getByRole("alert");
    await error.waitFor({ timeout: 30_000 });
    expect(await error.textContent()).toMatch(/RangeError[\s\S]*bad shape[\s\S]*line 2/);
    await page.close();
  });

  it("follows JupyterLab's keys: Esc, B, Shift+Enter, D D, Z, M", async () => {
    const slug = await newExperiment("Keys", "// %% one\nconst one = 1;\n");
    const { page, errors } = await openNotebook(slug);
    await cell(page, 0).locator(".monaco-editor .view-lines").click();
    await page.keyboard.press("Control+Enter"); // runs it, stays
    await expect.poll(() => cell(page, 0).textContent(), { timeout: 30_000 }).toContain("[1]");
    await page.keyboard.press("Escape"); // command mode
    await page.keyboard.press("b"); // a cell below, in edit mode
    await expect.poll(() => page.locator("[data-cell-id]").count()).toBe(2);
    await page.keyboard.type("one + 1");
    await page.keyboard.press("Shift+Enter"); // runs it; at the end, a new cell below
    await expect.poll(() => cell(page, 1).textContent(), { timeout: 30_000 }).toContain("[2]");
    await expect.poll(() => cell(page, 1).locator("[data-output=text]").textContent()).toBe("2");
    await expect.poll(() => page.locator("[data-cell-id]").count()).toBe(3);
    await page.keyboard.press("Escape");
    await page.keyboard.press("k"); // select the cell above
    await page.keyboard.press("d");
    await page.keyboard.press("d");
    await expect.poll(() => page.locator("[data-cell-id]").count()).toBe(2);
    await page.keyboard.press("z");
    await expect.poll(() => page.locator("[data-cell-id]").count()).toBe(3);
    await expect.poll(() => cellText(page, 1)).toContain("one + 1");
    await page.keyboard.press("m"); // to markdown: it renders
    await expect.poll(() => cell(page, 1).locator("p").textContent()).toBe("one + 1");
    await expect.poll(async () => (await (await fetch(`${server.url}/api/experiments/${slug}`)).json()).notebook).toContain("// %% [markdown]\n// one + 1");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("reruns a recorded run with changed hyperparameters", async () => {
    const code = '// %% cfg\nconst cfg = config({ steps: 3, rate: 0.5 });\n\n// %% train\nfor (let s = 0; s < cfg.steps; s++) log({ loss: cfg.rate * s }, s);\n';
    const slug = await newExperiment("Rerun", code);
    const { page, errors } = await openNotebook(slug);
    await page.getByRole("button", { name: "Run all" }).click();
    const panel = page.getByRole("complementary");
    await expect.poll(() => panel.locator("li[data-run-id]").first().textContent(), { timeout: 30_000 }).toContain("finished");
    await panel.getByRole("button", { name: "Rerun with…" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("steps").fill("5");
    await dialog.getByLabel("rate").fill("two");
    expect(await dialog.getByRole("button", { name: "Rerun" }).isDisabled()).toBe(true); // "two" is not a number
    await dialog.getByLabel("rate").fill("2");
    await dialog.getByRole("button", { name: "Rerun" }).click();
    await expect.poll(() => panel.locator("li[data-run-id]").count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => panel.locator("li[data-run-id]").first().textContent(), { timeout: 30_000 }).toContain("finished");
    const runs = (await (await fetch(`${server.url}/api/runs?experimentId=${await experimentId(slug)}`)).json()).runs;
    expect(runs[0].hparams).toEqual({ steps: 5, rate: 2 });
    expect(runs[0].lastMetrics.loss).toEqual({ step: 4, value: 8 });
    expect(runs[1].hparams).toEqual({ steps: 3, rate: 0.5 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("opens a .ts notebook from disk and downloads the notebook as .ts", async () => {
    const slug = await newExperiment("Files", "// %% a\nconst a = 1;\n");
    const { page, errors } = await openNotebook(slug);
    const text = "// %% [markdown]\n// # From disk\n\n// %% b\nconst b = 2;\n";
    page.once("dialog", (d) => void d.accept());
    await page.getByLabel("Open notebook file").setInputFiles({ name: "disk.ts", mimeType: "text/plain", buffer: Buffer.from(text) });
    await expect.poll(() => page.locator("[data-cell-id]").count()).toBe(2);
    await expect.poll(() => cell(page, 0).locator("h1").textContent()).toBe("From disk");
    await waitForSaved(page, slug, "const b = 2;");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download .ts" }).click()]);
    expect(download.suggestedFilename()).toBe(`${slug}.ts`);
    expect(fs.readFileSync(await download.path(), "utf8")).toBe(text);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("imports a run bundle exported from another experiment", async () => {
    const from = await experimentId(await newExperiment("Exported", "// %% a\nconst a = 1;\n"));
    const run = await postJson<{ id: string }>(server.url, "/api/runs", { experimentId: from, name: "to-move", code: "log({ loss: 1 })", hparams: { lr: 0.1 } });
    await postJson(server.url, `/api/runs/${run.id}/metrics`, { batch: 0, points: [{ key: "loss", step: 3, value: 0.25 }] });
    const zip = Buffer.from(await (await fetch(`${server.url}/api/runs/${run.id}/export?format=zip`)).arrayBuffer());
    const slug = await newExperiment("Imported", "// %% a\nconst a = 1;\n");
    const { page, errors } = await openNotebook(slug);
    await page.getByLabel("Run bundle to import").setInputFiles({ name: "to-move.zip", mimeType: "application/zip", buffer: zip });
    await page.getByRole("status").filter({ hasText: "Imported" }).waitFor({ timeout: 15_000 });
    const runs = (await (await fetch(`${server.url}/api/runs?experimentId=${await experimentId(slug)}`)).json()).runs;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ name: "to-move", hparams: { lr: 0.1 }, lastMetrics: { loss: { step: 3, value: 0.25 } } });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("measures a model with evaluate() in the page: FVD-MM beside its floor, logged on the run", async () => {
    const code = [
      "// %% model",
      'const model = gan.createModel("vgan", { frames: 16, size: 32, channels: 1, width: 1 / 16 }, 1);',
      "",
      "// %% measure",
      "const r = await evaluate(model, { n: 16, untrained: false });",
      "`untrained above floor: ${r.fvd_mm > r.floor.fvd_mm}, n = ${r.n}`",
      "",
    ].join("\n");
    const slug = await newExperiment("Evaluate", code);
    const { page, errors } = await openNotebook(slug);
    const started = Date.now();
    await page.getByRole("button", { name: "Run all" }).click();
    await expect.poll(() => cell(page, 1).locator("[data-output=text]").textContent(), { timeout: 120_000 }).toBe("untrained above floor: true, n = 16");
    console.log(`evaluate(model, { n: 16 }) in the page: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const panel = page.getByRole("complementary");
    await expect.poll(() => panel.locator("li[data-run-id]").first().textContent(), { timeout: 15_000 }).toContain("finished");
    const runs = (await (await fetch(`${server.url}/api/runs?experimentId=${await experimentId(slug)}`)).json()).runs;
    expect(Object.keys(runs[0].lastMetrics).sort()).toEqual(["digit_conf", "fid_mm", "fvd_mm"]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("restarts the kernel on the WebGL backend when asked", async () => {
    const slug = await newExperiment("WebGL", "// %% which\ntf.getBackend()\n");
    const { page } = await openNotebook(slug);
    await page.getByLabel("Choose backend").selectOption("webgl");
    await page.getByLabel("Backend").filter({ hasText: "WebGL" }).waitFor({ timeout: 60_000 });
    await kernelStatus(page, "idle");
    await cell(page, 0).click();
    await page.getByRole("button", { name: "Run cell" }).click();
    await expect.poll(() => cell(page, 0).textContent(), { timeout: 30_000 }).toContain("webgl");
    await page.close();
  });
});
