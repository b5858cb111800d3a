// Finding runs and comparing them: the runs table's filter and selection, then the compare view of three runs with
// their metrics, hyperparameters, samples on one clock and code diff, all of it reproduced by reloading its URL.
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { lossSeries, movingSquareGif, postJson, postSample } from "./fixtures";
import { ensureBuild, launchBrowser, resultsPath, startServer, type TestServer } from "./helpers";

let server: TestServer;
let browser: Browser;

// What a person might type as a run name or a hyperparameter: it must show as text and never run.
const PROBE = "<img src=x onerror=alert(1)>";

interface Seeded {
  ids: string[];
  names: string[];
  /** sample id by run index and step */
  samples: Map<string, string>;
}
let seeded: Seeded;

const code = (model: string, lr: number) => `// %% config
const cfg = config({ model: "${model}", lr: ${lr} });
// %% train
for (let step = 0; step < 2000; step++) log({ "loss/d": d, "loss/g": g }, step);
`;

beforeAll(async () => {
  ensureBuild();
  server = await startServer();
  browser = await launchBrowser();
  const base = server.url;
  const { id: experimentId } = await postJson<{ id: string }>(base, "/api/experiments", { title: "Compare me" });
  const specs = [
    { name: "tgan-lr2e-4", hparams: { model: "tgan", optim: { lr: 2e-4 }, batch: 16 }, steps: [0, 1000, 2000], status: "finished" },
    { name: PROBE, hparams: { model: "tgan", optim: { lr: 1e-3 }, batch: 16, note: PROBE }, steps: [0, 1500], status: "failed" },
    { name: "mocogan", hparams: { model: "mocogan", optim: { lr: 2e-4 }, batch: 16 }, steps: [500, 2000], status: "finished" },
  ];
  const ids: string[] = [];
  const samples = new Map<string, string>();
  let phase = 0;
  for (const [i, s] of specs.entries()) {
    const lr = (s.hparams.optim as { lr: number }).lr;
    const { id } = await postJson<{ id: string }>(base, "/api/runs", {
      experimentId,
      name: s.name,
      code: code(s.hparams.model, lr),
      hparams: s.hparams,
      seed: i,
    });
    ids.push(id);
    await postJson(base, `/api/runs/${id}/metrics`, { batch: 0, series: lossSeries(200 - i * 40, -1) });
    for (const step of s.steps) {
      // Each sample a different phase: the picture at a given frame differs between any two samples.
      samples.set(`${i}:${step}`, (await postSample(base, id, "fake", step, movingSquareGif((phase += 3)))).id);
    }
    await postJson(base, `/api/runs/${id}`, { status: s.status }, "PATCH");
  }
  seeded = { ids, names: specs.map((s) => s.name), samples };
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function watch(page: Page): Promise<{ errors: string[]; dialogs: string[] }> {
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("response", (r) => r.status() >= 400 && !r.url().endsWith("/favicon.ico") && errors.push(`${r.status()} ${r.url()}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return { errors, dialogs };
}

it("filters the runs table in the query language and opens the comparison of the selected rows", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const { errors, dialogs } = await watch(page);
  await page.goto(`${server.url}/runs`);
  const rows = page.locator("tbody tr[data-run-id]");
  await expect.poll(() => rows.count()).toBe(3);

  // A bad query: the error names the position and a caret sits under the offending character.
  const filter = page.getByLabel("Filter runs");
  const t0 = Date.now();
  await filter.fill('params.model = = "tgan"');
  const alert = page.locator("#runs-filter-error");
  await alert.waitFor();
  const badMs = Date.now() - t0;
  await expect(alert.getAttribute("data-error-position")).resolves.toBe("15");
  const [, caret] = (await alert.locator("pre").textContent())!.split("\n");
  expect(caret).toBe(" ".repeat(15) + "^");
  await expect(alert.textContent()).resolves.toMatch(/at 15/);
  await page.screenshot({ path: resultsPath("runs-filter-error.png") });

  // A good one narrows the rows, and the URL carries it.
  const t1 = Date.now();
  await filter.fill('params.model = "tgan" and status = "finished"');
  await expect.poll(() => rows.count()).toBe(1);
  const goodMs = Date.now() - t1;
  await expect(alert.count()).resolves.toBe(0);
  await filter.fill('params.model = "tgan"');
  await expect.poll(() => rows.count()).toBe(2);
  await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe('params.model = "tgan"');

  // The filter survives a reload; the column chooser hides a column and remembers it.
  await page.reload();
  await expect.poll(() => rows.count()).toBe(2);
  await page.getByText("Columns", { exact: true }).click();
  await page.getByRole("checkbox", { name: "Duration" }).uncheck();
  await expect.poll(() => page.getByRole("columnheader", { name: "Duration" }).count()).toBe(0);
  await expect.poll(() => new URL(page.url()).searchParams.getAll("hide")).toEqual(["duration"]);
  await expect(page.getByRole("link", { name: PROBE, exact: true }).count()).resolves.toBe(1);

  // Select both rows: Compare opens them side by side.
  await page.getByRole("checkbox", { name: "Select all runs" }).check();
  const t2 = Date.now();
  await page.getByRole("link", { name: "Compare 2 runs" }).click();
  await page.waitForURL(/\/compare\?runs=/);
  await expect.poll(() => page.locator('ul[aria-label="Runs"] li').count()).toBe(2);
  const compareMs = Date.now() - t2;
  const runs = new URL(page.url()).searchParams.get("runs")!.split(",");
  expect(runs.sort()).toEqual([seeded.ids[0], seeded.ids[1]].sort());
  // The same table under an experiment's notebook: a link with a filter opens the table filtered.
  const experimentId = await fetch(`${server.url}/api/runs/${seeded.ids[2]}`)
    .then((r) => r.json() as Promise<{ experimentId: string }>)
    .then((r) => r.experimentId);
  await page.goto(`${server.url}/experiments/${experimentId}?q=${encodeURIComponent('params.model = "mocogan"')}`);
  await expect.poll(() => rows.count()).toBe(1);
  await expect(rows.getByRole("link", { name: "mocogan", exact: true }).isVisible()).resolves.toBe(true);

  // The run page links its exports.
  await page.goto(`${server.url}/runs/${seeded.ids[0]}`);
  const exportNav = page.getByRole("navigation", { name: "Export" });
  for (const [name, format] of [["metrics CSV", "csv"], ["JSON", "json"], ["bundle (zip)", "zip"]]) {
    const href = await exportNav.getByRole("link", { name }).getAttribute("href");
    expect(href).toBe(`/api/runs/${seeded.ids[0]}/export?format=${format}`);
    const res = await fetch(`${server.url}${href}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment/);
  }

  console.log(`runs table: bad query marked ${badMs} ms, good query applied ${goodMs} ms, compare page opened ${compareMs} ms`);
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
});

const canvasesIn = (page: Page) => page.locator('[data-sample-name="fake"] figure');

async function shownSteps(page: Page): Promise<string[]> {
  return canvasesIn(page).evaluateAll((figs) => figs.map((f) => f.getAttribute("data-shown-step") ?? ""));
}

async function drawn(page: Page): Promise<{ sample: string; frame: string; pixels: string }[]> {
  return canvasesIn(page)
    .locator("canvas")
    .evaluateAll((cs) =>
      (cs as HTMLCanvasElement[]).map((c) => ({
        sample: c.dataset.sampleId ?? "",
        frame: c.dataset.frame ?? "",
        pixels: c.toDataURL(),
      })),
    );
}

async function waitDrawn(page: Page, expected: string[]) {
  await expect.poll(async () => (await drawn(page)).map((d) => d.sample), { timeout: 15_000 }).toEqual(expected);
}

const frameText = (page: Page) => page.getByTestId("frame").textContent();

/** Moves a slider the way a keyboard user does: Home, then one arrow press per step. */
async function setRange(range: Locator, steps: number) {
  await range.focus();
  await range.press("Home");
  for (let i = 0; i < steps; i++) await range.press("ArrowRight");
}

it("compares three runs: overlaid charts, differing hyperparameters first, one step slider and clock, code diff; the URL reproduces it", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const { errors, dialogs } = await watch(page);
  const [a, b, c] = seeded.ids;
  const s = (run: number, step: number) => seeded.samples.get(`${run}:${step}`)!;

  const t0 = Date.now();
  await page.goto(`${server.url}/compare?runs=${a},${b},${c}`);
  const htmlMs = Date.now() - t0;
  // Latest step by default: each run shows its nearest logged sample.
  await waitDrawn(page, [s(0, 2000), s(1, 1500), s(2, 2000)]);
  const videosMs = Date.now() - t0;
  expect(await shownSteps(page)).toEqual(["2000", "1500", "2000"]);

  // Charts: one per key, every run overlaid (raw + smoothed line per run).
  for (const key of ["loss/d", "loss/g"]) {
    const chart = page.locator(`[data-metric-key="${key}"]`);
    await chart.locator("[data-drawn]").waitFor({ timeout: 30_000 });
    await expect(chart.locator(".scatterlayer .trace").count()).resolves.toBe(6);
  }
  const chartsMs = Date.now() - t0;

  // Hyperparameters: the differing rows first, highlighted; the shared one last.
  const hrows = page.locator('section[aria-labelledby="compare-hparams"] tbody tr');
  const keys = await hrows.locator("th").allTextContents();
  expect(keys).toEqual(["model", "optim.lr", "note", "batch"]);
  expect(await hrows.evaluateAll((rs) => rs.map((r) => r.getAttribute("data-differs")))).toEqual(["true", "true", "true", "false"]);

  // Play / pause: paused, the frame holds; playing, it moves, and every canvas shows the same frame index.
  const pauseButton = page.getByRole("button", { name: "Pause" });
  await pauseButton.click();
  const held = await frameText(page);
  await page.waitForTimeout(400);
  expect(await frameText(page)).toBe(held);
  await page.getByRole("button", { name: "Play" }).click();
  await expect.poll(() => frameText(page), { timeout: 5000 }).not.toBe(held);
  await page.getByRole("button", { name: "Pause" }).click();
  const frames = (await drawn(page)).map((d) => d.frame);
  expect(new Set(frames).size).toBe(1);

  // Scrub: every canvas jumps to the chosen frame.
  await setRange(page.getByLabel("Frame", { exact: true }), 5);
  await expect.poll(async () => (await drawn(page)).map((d) => d.frame)).toEqual(["5", "5", "5"]);

  // The step slider: to step 0, every video changes to its nearest sample and redraws.
  const before = await drawn(page);
  const t1 = Date.now();
  await setRange(page.getByLabel("Sample step"), 0);
  await waitDrawn(page, [s(0, 0), s(1, 0), s(2, 500)]);
  const stepMs = Date.now() - t1;
  expect(await shownSteps(page)).toEqual(["0", "0", "500"]);
  const after = await drawn(page);
  for (let i = 0; i < 3; i++) expect(after[i].pixels).not.toBe(before[i].pixels);
  expect(after.map((d) => d.frame)).toEqual(["5", "5", "5"]);

  // The rest of the view: smoothing, x axis, diff pair.
  await setRange(page.getByLabel("Smoothing weight"), 85);
  await page.getByLabel("X axis").selectOption("relative");
  await page.getByLabel("Left run").selectOption(c);
  await page.getByLabel("Right run").selectOption(a);
  const diff = page.locator(".monaco-diff-editor");
  await diff.waitFor({ timeout: 30_000 });
  await expect.poll(() => diff.locator(".original .view-lines").textContent(), { timeout: 30_000 }).toMatch(/mocogan/);
  await page.getByText("Keys (2/2)").click();
  await page.getByRole("checkbox", { name: "loss/g" }).uncheck();
  await expect.poll(() => page.locator("[data-metric-key]").count()).toBe(1);
  await expect.poll(() => new URL(page.url()).searchParams.get("diff")).toBe(`${c},${a}`);
  await expect.poll(() => new URL(page.url()).searchParams.getAll("key")).toEqual(["loss/d"]);
  const url = new URL(page.url());
  expect(Object.fromEntries(url.searchParams)).toMatchObject({ smooth: "0.85", x: "relative", step: "0", diff: `${c},${a}` });
  await page.screenshot({ path: resultsPath("compare.png"), fullPage: true });

  // Reload: the same view.
  const t2 = Date.now();
  await page.reload();
  await waitDrawn(page, [s(0, 0), s(1, 0), s(2, 500)]);
  const reloadMs = Date.now() - t2;
  expect(await shownSteps(page)).toEqual(["0", "0", "500"]);
  await expect(page.getByTestId("smoothing").textContent()).resolves.toBe("0.85");
  await expect(page.getByLabel("X axis").inputValue()).resolves.toBe("relative");
  await expect(page.getByTestId("slider-step").textContent()).resolves.toBe("0");
  await expect(page.getByLabel("Left run").inputValue()).resolves.toBe(c);
  await expect(page.getByLabel("Right run").inputValue()).resolves.toBe(a);
  await expect.poll(() => diff.locator(".original .view-lines").textContent(), { timeout: 30_000 }).toMatch(/mocogan/);
  await expect.poll(() => diff.locator(".modified .view-lines").textContent(), { timeout: 30_000 }).toMatch(/tgan/);
  const chart = page.locator('[data-metric-key="loss/d"]');
  await chart.locator("[data-drawn]").waitFor({ timeout: 30_000 });
  await expect(chart.locator(".xtitle").textContent()).resolves.toBe("relative time (s)");
  await expect(page.locator("[data-metric-key]").count()).resolves.toBe(1);

  // The probe shows as text (legend, table header, hyperparameter value, select option) and never runs.
  await expect(page.getByText(PROBE, { exact: true }).count()).resolves.toBeGreaterThanOrEqual(3);
  await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
  expect(dialogs).toEqual([]);
  console.log(
    `compare 3 runs: HTML ${htmlMs} ms, videos drawn ${videosMs} ms, charts ${chartsMs} ms, ` +
      `step slider → all redrawn ${stepMs} ms, reload → same view ${reloadMs} ms`,
  );
  expect(errors).toEqual([]);
});
