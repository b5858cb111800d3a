// CellOutputs in real headless Chromium: every kind of output a cell can show, its progress bars, samples and a
// live chart that takes 100k points per key while the main thread stays free.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchBrowser, resultsPath } from "./helpers";
import { serveBundle, type PageServer } from "./page-server";

let server: PageServer;
let browser: Browser;
let page: Page;
const errors: string[] = [];

type Harness = {
  mount(): void;
  addSample(step: number): void;
  streamMetrics(perKey: number, batch: number, everyMs: number, keyCount?: number): Promise<Record<string, number>>;
  unmount(): void;
  clicked: number[];
};
declare const cellOutputs: Harness;

beforeAll(async () => {
  server = await serveBundle(path.join(import.meta.dirname, "pages", "cell-outputs-entry.tsx"), { title: "cell outputs" });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(server.url);
  await page.waitForFunction(() => "cellOutputs" in globalThis);
  await page.evaluate(() => cellOutputs.mount());
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it("merges console chunks of one stream and tints stderr", async () => {
  const streams = await page.$$eval("[data-output=stdout], [data-output=stderr]", (els) => els.map((e) => [e.getAttribute("data-output"), e.textContent]));
  expect(streams).toEqual([
    ["stdout", "epoch 1\nepoch 2\n"],
    ["stderr", "warning: slow backend\n"],
  ]);
});

it("renders markdown with raw HTML escaped and script links refused", async () => {
  const md = page.locator("[data-output=markdown]");
  expect(await md.locator("h2").textContent()).toBe("Results");
  expect(await md.locator("img").count()).toBe(0);
  expect(await md.textContent()).toContain('<img src=x onerror="window.__xss=1">');
  const links = await md.locator("a").evaluateAll((as) => as.map((a) => [a.getAttribute("href"), a.getAttribute("rel")]));
  expect(links).toEqual([["https://example.com", "noopener noreferrer"]]);
  expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined();
});

it("shows a tensor's shape, statistics, NaN count and values", async () => {
  const text = await page.locator("[data-output=tensor]").textContent();
  expect(text).toContain("Tensor float32 [2, 3]");
  expect(text).toContain("NaN1");
  expect(text).toContain("[[-1, 0, 2.5],\n [1, NaN, 0.125]]");
});

it("draws a table as a <table>, its first 100 rows until asked for all", async () => {
  const table = page.locator("[data-output=table]");
  expect(await table.locator("th").allTextContents()).toEqual(["step", "loss"]);
  expect(await table.locator("tbody tr").count()).toBe(100);
  await table.getByRole("button", { name: "Show all 150 rows" }).click();
  expect(await table.locator("tbody tr").count()).toBe(150);
});

it("prints JSON, unfolded when short", async () => {
  const json = page.locator("[data-output=json]");
  expect(await json.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
  expect(JSON.parse((await json.locator("pre").textContent())!)).toEqual({ a: 1, nested: { b: [1, 2, 3] } });
});

it("shows PNG and GIF bytes as images from object URLs, upscaled with their size", async () => {
  const images = await page.$$eval('[data-output^="image/"]', (figs) =>
    figs.map((f) => {
      const img = f.querySelector("img")!;
      return { src: img.src.slice(0, 5), natural: [img.naturalWidth, img.naturalHeight], width: img.getBoundingClientRect().width, caption: f.textContent };
    }),
  );
  expect(images).toEqual([
    { src: "blob:", natural: [24, 12], width: 240, caption: "PNG · 24×12 · shown ×10 · " + images[0].caption!.split(" · ")[3] },
    { src: "blob:", natural: [16, 16], width: 256, caption: expect.stringMatching(/^GIF · 16×16 · shown ×16 · \d+ B$/) },
  ]);
});

it("draws a Plotly figure a cell showed", async () => {
  await page.waitForSelector("[data-output=plotly] .js-plotly-plot .main-svg");
  expect(await page.locator("[data-output=plotly] .bars .point").count()).toBe(2);
});

it("shows an error as an alert whose line button reports the line", async () => {
  const alert = page.getByRole("alert");
  expect(await alert.textContent()).toContain("TypeError: x is not a function");
  await alert.getByRole("button", { name: "Go to line 3, column 7 of the cell" }).click();
  expect(await page.evaluate(() => cellOutputs.clicked)).toEqual([3]);
  await alert.getByText("Stack").click();
  expect(await alert.locator("pre").textContent()).toContain("at cell:3:7");
});

it("shows progress bars with value, total, rate and time left, and an indeterminate one", async () => {
  const bars = await page.$$eval("[data-progress]", (els) =>
    els.map((e) => {
      const p = e.querySelector("progress")!;
      return { role: p.getAttribute("role") ?? "progressbar", value: p.hasAttribute("value") ? p.value : null, max: p.max, text: e.textContent };
    }),
  );
  await page.locator("#host").screenshot({ path: resultsPath("cell-outputs.png") });
  expect(bars).toEqual([
    { role: "progressbar", value: 340, max: 1000, text: "train340 / 1,000 · 34% · 12.3 it/s, 0:42 left" },
    { role: "progressbar", value: null, max: 1, text: "loading17" },
  ]);
});

it("shows the latest sample per key, follows new ones, and keeps a step picked on the slider", async () => {
  await page.evaluate(() => [100, 200, 300].forEach((s) => cellOutputs.addSample(s)));
  const step = () => page.locator("[data-sample-step]").getAttribute("data-sample-step");
  expect(await step()).toBe("300");
  await page.evaluate(() => cellOutputs.addSample(400));
  expect(await step()).toBe("400");
  await page.getByRole("slider", { name: "samples: step" }).fill("1");
  expect(await step()).toBe("200");
  await page.evaluate(() => cellOutputs.addSample(500));
  expect(await step()).toBe("200");
});

function report(r: Record<string, number>): string {
  return (
    `live chart: ${r.points.toLocaleString("en")} points (${r.keys} keys) in ${r.batches} batches ` +
    `over ${(r.streamMs / 1000).toFixed(1)} s; appendPoints ${r.appendMs.toFixed(0)} ms in all; ` +
    `${r.drawnPoints} points drawn at the end; long tasks: ${r.longTasks}, worst ${r.worstTaskMs.toFixed(0)} ms`
  );
}

it("draws 100k points per key live, with no long main-thread task", { timeout: 120_000 }, async () => {
  const r = await page.evaluate(() => cellOutputs.streamMetrics(100_000, 500, 16));
  console.log(report(r));
  await page.locator("[data-output=live-metrics]").screenshot({ path: resultsPath("cell-outputs-live.png") });
  expect(r.points).toBe(300_000);
  expect(r.drawnVersion).toBe(r.batches);
  expect(r.drawnPoints).toBeLessThan(10_000);
  expect(r.worstTaskMs).toBeLessThan(200);
  // Once the points stop, so does drawing.
  const draws = () => page.locator("[data-output=live-metrics]").getAttribute("data-draws");
  const settled = await draws();
  await page.waitForTimeout(1000);
  expect(await draws()).toBe(settled);
  expect(errors).toEqual([]);
});

it("zooms into the steps dragged across and back out on a double-click", async () => {
  const section = page.locator("[data-output=live-metrics]");
  const before = Number(await section.getAttribute("data-drawn-points"));
  const over = section.locator(".u-over").first();
  const box = (await over.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => section.getAttribute("data-zoom")).toMatch(/^\d+–\d+$/);
  const [a, b] = (await section.getAttribute("data-zoom"))!.split("–").map(Number);
  // 5% of 100k steps.
  expect(b - a).toBeGreaterThan(3_000);
  expect(b - a).toBeLessThan(7_000);
  await section.screenshot({ path: resultsPath("cell-outputs-live-zoom.png") });
  await over.dblclick();
  await expect.poll(() => section.getAttribute("data-zoom")).toBe("");
  const draws = await section.getAttribute("data-draws");
  await page.waitForTimeout(1000);
  expect(await section.getAttribute("data-draws")).toBe(draws);
  expect(Number(await section.getAttribute("data-drawn-points"))).toBeLessThanOrEqual(before + 10);
  expect(errors).toEqual([]);
});

it("draws a long GAN run's dozen keys live, with no long main-thread task", { timeout: 120_000 }, async () => {
  // MoCoGAN's defaults on a server kernel: 12 keys, some 3,300 steps in 8 minutes, a batch of points every 250 ms.
  const r = await page.evaluate(() => cellOutputs.streamMetrics(4_000, 8, 16, 12));
  console.log(report(r));
  expect(r.points).toBe(48_000);
  expect(r.drawnVersion).toBe(r.batches);
});

it("revokes its object URLs when it unmounts", async () => {
  const src = await page.locator('[data-output="image/gif"] img').first().getAttribute("src");
  await page.evaluate(() => cellOutputs.unmount());
  const loads = await page.evaluate((url) => fetch(url!).then(() => true, () => false), src);
  expect(loads).toBe(false);
});
