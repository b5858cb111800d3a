// A person creates an experiment in the UI, a worker posts a run through the API, and the run page shows it.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { lossSeries, movingSquareGif, postJson, postSample } from "./fixtures";
import { ensureBuild, launchBrowser, resultsPath, startServer, type TestServer } from "./helpers";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  ensureBuild();
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const CODE = `// %% config
const cfg = config({ model: "tgan", lr: 2e-4, batch: 16 });
// %% train
for (let step = 0; step < 2000; step++) log({ "loss/d": d, "loss/g": g }, step);
`;

async function watchErrors(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Failed requests are reported with their URL; the console's own "Failed to load resource" line has none.
  page.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && errors.push(`${r.status()} ${r.url()}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  return errors;
}

it("creates an experiment in the UI and shows a posted run's charts and samples", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = await watchErrors(page);

  // 1. Create the experiment through the form. The title has markup characters: they must show as text.
  const title = `Moving MNIST <b>TGAN</b> & "friends"`;
  await page.goto(`${server.url}/`);
  await page.getByLabel("Experiment title").fill(title);
  await page.getByRole("button", { name: "Create" }).click();
  const link = page.getByRole("link", { name: title, exact: true });
  await link.waitFor({ timeout: 15_000 });
  const experimentId = await page.locator("tr", { has: link }).getAttribute("data-experiment-id");
  expect(experimentId).toBeTruthy();
  await page.screenshot({ path: resultsPath("experiments.png") });

  // 2. A worker posts a run, its metrics (one diverged value) and GIF samples at two steps.
  const base = server.url;
  const run = await postJson<{ id: string }>(base, "/api/runs", {
    experimentId,
    name: "tgan-lr2e-4",
    code: CODE,
    hparams: { model: "tgan", optim: { lr: 2e-4, beta1: 0.5 }, batch: 16 },
    seed: 7,
    backend: "webgl",
    device: { vendor: "google", architecture: "swiftshader", description: "SwiftShader Device" },
  });
  const other = await postJson<{ id: string }>(base, "/api/runs", {
    experimentId,
    name: "tgan-lr1e-3",
    code: CODE,
    hparams: { model: "tgan", optim: { lr: 1e-3, beta1: 0.5 }, batch: 16 },
    seed: 8,
  });
  await postJson(base, `/api/runs/${run.id}/metrics`, { batch: 0, series: lossSeries(200, 120) });
  await postJson(base, `/api/runs/${other.id}/metrics`, { batch: 0, series: lossSeries(50, -1) });
  await postJson(base, `/api/runs/${other.id}`, { status: "failed", error: "loss/d is NaN at step 500" }, "PATCH");
  await postSample(base, run.id, "fake", 1000, movingSquareGif(0));
  await postSample(base, run.id, "fake", 1990, movingSquareGif(5));
  await postSample(base, run.id, "real", 1990, movingSquareGif(9));

  // 3. The experiment page shows the notebook's cells in editors, and both runs with hyperparameters and last values:
  // in the side panel, and in the runs table below the notebook.
  await postJson(base, `/api/experiments/${experimentId}`, { notebook: CODE }, "PATCH");
  await page.goto(`${base}/experiments/${experimentId}`);
  await expect.poll(() => page.locator("[data-cell-id]").count()).toBe(2);
  await expect.poll(() => page.locator("[data-cell-id] .monaco-editor .view-lines").first().textContent(), { timeout: 30_000 }).toMatch(/const\scfg/); // Monaco draws spaces as U+00A0
  await expect.poll(() => page.getByRole("complementary").locator("li[data-run-id]").count()).toBe(2);
  await page.getByText("All runs as a table").click();
  await expect.poll(() => page.locator("tbody tr").count()).toBe(2);
  await expect.poll(() => page.getByRole("columnheader", { name: "optim.lr" }).count()).toBe(1);
  await page.screenshot({ path: resultsPath("experiment-page.png"), fullPage: true });

  // 4. The run page: a Plotly chart per key, the NaN marked, the GIF sample loaded.
  await page.goto(`${base}/runs/${run.id}`);
  for (const key of ["loss/d", "loss/g"]) {
    await page.locator(`[data-metric-key="${key}"]`).locator(".main-svg, canvas").first().waitFor({ timeout: 30_000 });
  }
  await expect(page.locator('[data-metric-key="loss/d"]').textContent()).resolves.toContain("1 NaN/Inf");
  const img = page.locator('[data-sample-name="fake"] img');
  await expect
    .poll(() => img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0)), { timeout: 15_000 })
    .toBeGreaterThan(0);
  await expect(page.locator('[data-sample-name="fake"]').textContent()).resolves.toContain("step 1990");
  await page.screenshot({ path: resultsPath("run-page.png"), fullPage: true });

  expect(errors).toEqual([]);
});

it("paints a 1M-point run from a downsampled overview and fetches detail when zooming", async () => {
  const base = server.url;
  const { id: experimentId } = await postJson<{ id: string }>(base, "/api/experiments", { title: "Long run" });
  const run = await postJson<{ id: string }>(base, "/api/runs", { experimentId, name: "long", code: "" });
  const POINTS = 1_000_000;
  const BATCH = 10_000;
  const t0 = Date.now();
  for (let b = 0; b < POINTS / BATCH; b++) {
    const steps = Array.from({ length: BATCH }, (_, i) => b * BATCH + i);
    const values = steps.map((s) => Math.exp(-s / 3e5) + 0.1 * Math.sin(s / 50));
    await postJson(base, `/api/runs/${run.id}/metrics`, { batch: b, series: { loss: { steps, values } } });
  }
  const ingestMs = Date.now() - t0;

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = await watchErrors(page);
  const t1 = Date.now();
  await page.goto(`${base}/runs/${run.id}`);
  const htmlMs = Date.now() - t1;
  const chart = page.locator('[data-metric-key="loss"]');
  await chart.locator(".main-svg").first().waitFor({ timeout: 30_000 });
  const chartMs = Date.now() - t1;
  await expect(chart.textContent()).resolves.toMatch(/1,000,000 points.*overview of/);
  console.log(`1M points: ingest ${ingestMs} ms, run page HTML ${htmlMs} ms, chart drawn ${chartMs} ms`);
  expect(htmlMs).toBeLessThan(5000);

  // Drag an x-zoom box over ~5% of the axis (Plotly ignores boxes under 20 px): the chart asks for that window only.
  const drag = chart.locator(".nsewdrag").first();
  const box = (await drag.boundingBox())!;
  const y = box.y + box.height / 2;
  const metricsRequest = page.waitForRequest((r) => /\/metrics\?.*from=\d+.*to=\d+/.test(r.url()));
  await page.mouse.move(box.x + box.width * 0.45, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.47, y, { steps: 4 });
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 4 });
  await page.mouse.up();
  const url = new URL((await metricsRequest).url());
  const from = Number(url.searchParams.get("from"));
  const to = Number(url.searchParams.get("to"));
  expect(to - from).toBeGreaterThan(0);
  expect(to - from).toBeLessThan(POINTS / 10);
  await expect.poll(() => chart.textContent(), { timeout: 15_000 }).toContain("zoomed detail");
  await page.screenshot({ path: resultsPath("run-page-zoomed.png") });

  // Double-click resets the axes and returns to the overview.
  await page.mouse.dblclick(box.x + box.width * 0.5, y);
  await expect.poll(() => chart.textContent(), { timeout: 15_000 }).toContain("overview of");
  expect(errors).toEqual([]);
});

it("renames an experiment in place and deletes it only after confirming", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = await watchErrors(page);
  const { id } = await postJson<{ id: string }>(server.url, "/api/experiments", { title: "Scratch" });
  await page.goto(`${server.url}/`);
  const row = page.locator(`tr[data-experiment-id="${id}"]`);
  await row.getByRole("button", { name: "Rename" }).click();
  await row.getByLabel("New title").fill("Scratch (renamed)");
  await row.getByRole("button", { name: "Save" }).click();
  await row.getByRole("link", { name: "Scratch (renamed)", exact: true }).waitFor();
  const renamed = row;

  // Cancel keeps it; confirming in the dialog removes it.
  await renamed.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog.isVisible()).resolves.toBe(false);
  await renamed.getByRole("button", { name: "Delete" }).click();
  await page.screenshot({ path: resultsPath("delete-dialog.png") });
  await dialog.getByRole("button", { name: "Delete" }).click();
  await renamed.waitFor({ state: "detached" });
  expect(errors).toEqual([]);
});
