// `npm run screenshots -- --data DIR`: the README's pictures, taken from real runs. DIR is a data folder whose
// zoetrope.db holds runs of the example notebooks (`npm run results -- --db DIR/zoetrope.db` makes one). The script
// serves it with the production build in headless Chromium and saves three pages to docs/screenshots:
//   notebook.png           the MoCoGAN notebook, its "Start from the trained model" cell run in the page
//   run-page.png           the MoCoGAN run: hyperparameters, metric charts, samples by step
//   compare.png            the three models' runs side by side
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Page } from "playwright-core";
import { ensureBuild, launchBrowser, startServer } from "../test/browser/helpers";

const { values: args } = parseArgs({ options: { data: { type: "string" }, out: { type: "string", default: "docs/screenshots" } } });
if (!args.data) {
  console.error("usage: npm run screenshots -- --data DIR (a data folder with zoetrope.db)");
  process.exit(2);
}
const dataDir = path.resolve(args.data);
const shot = (file: string) => path.join(args.out!, file);

interface RunRow {
  id: string;
  name: string;
  status: string;
  hparams: Record<string, unknown>;
  experimentId?: string | null;
}

ensureBuild();
// The example notebooks, as `npm start` loads them, so the MoCoGAN notebook has a page of its own.
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: `file:${path.join(dataDir, "zoetrope.db")}` };
const loaded = spawnSync(path.join("node_modules", ".bin", "tsx"), ["scripts/load-examples.ts"], { env, encoding: "utf8" });
if (loaded.status !== 0) throw new Error(`loading the examples failed:\n${loaded.stdout}${loaded.stderr}`);
const server = await startServer({}, dataDir);
const browser = await launchBrowser(["--enable-unsafe-webgpu"]);
try {
  const { runs } = await api<{ runs: RunRow[] }>("/api/runs");
  const finished = runs.filter((r) => r.status === "finished");
  const byModel = (kind: string) => finished.find((r) => r.name.includes(kind));
  const mocogan = byModel("mocogan");
  if (!mocogan) throw new Error(`no finished MoCoGAN run in ${dataDir}: run \`npm run results -- --db ${dataDir}/zoetrope.db\` first`);
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

  await notebookWithTrainedModel(page);
  await page.setViewportSize({ width: 1400, height: 1300 });
  await page.goto(`${server.url}/runs/${mocogan.id}`);
  await chartsDrawn(page);
  await page.locator("[data-sample-name] img").first().waitFor({ timeout: 60_000 });
  // Past the hyperparameters table: the metric charts and the samples by step.
  await page.locator("[data-metric-key]").first().evaluate((el) => el.scrollIntoView({ block: "start" }));
  await page.mouse.wheel(0, -80);
  await page.screenshot({ path: shot("run-page.png") });

  const compared = ["tgan", "mocogan", "vgan"].map(byModel).filter((r): r is RunRow => r !== undefined);
  // Two charts (FVD-MM and G's loss) rather than every key, so the samples and the code diff fit on the page.
  await page.goto(`${server.url}/compare?runs=${compared.map((r) => r.id).join(",")}&key=fvd_mm&key=loss_g`);
  await chartsDrawn(page);
  await page.locator("[data-sample-name]").first().waitFor({ timeout: 60_000 });
  await page.locator(".monaco-diff-editor .view-lines").first().waitFor({ timeout: 60_000 });
  await page.screenshot({ path: shot("compare.png"), fullPage: true });
  console.log(`screenshots of ${compared.map((r) => r.name).join(", ")} in ${args.out}`);
} finally {
  await browser.close();
  await server.stop();
}

async function api<T>(p: string): Promise<T> {
  const res = await fetch(`${server.url}${p}`);
  if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function chartsDrawn(page: Page): Promise<void> {
  await page.locator("[data-metric-key] .main-svg, [data-metric-key] canvas").first().waitFor({ timeout: 60_000 });
}

/** Opens the MoCoGAN example and runs its last cell, which samples the checked-in trained model in the page. */
async function notebookWithTrainedModel(page: Page): Promise<void> {
  const { experiments } = await api<{ experiments: { slug: string; title: string }[] }>("/api/experiments");
  const example = experiments.find((e) => e.title.startsWith("MoCoGAN"));
  if (!example) throw new Error("the MoCoGAN example notebook is not in this database");
  await page.goto(`${server.url}/experiments/${example.slug}`);
  const cell = page.locator("[data-cell-id]", { hasText: "Start from the trained model" });
  await cell.scrollIntoViewIfNeeded();
  await cell.click();
  await cell.getByRole("button", { name: "Run this cell" }).click();
  await cell.locator("img").first().waitFor({ timeout: 180_000 });
  await page.locator("[data-cell-id][data-status='running']").waitFor({ state: "detached", timeout: 180_000 });
  await cell.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot("notebook.png") });
}
