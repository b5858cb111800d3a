// How the notebook page feels while an example trains in its own browser worker (or, with --on server, in a server
// kernel), and what the run reaches there:
// headless Chromium against a real server (the app as `npm start` serves it), Run all, then a person types into the
// training cell and into the last cell while the model trains. Prints per notebook: the wall time of Run all, the
// steps and ms per step, FVD-MM when the notebook evaluates, every main-thread task over 50 ms from Run all to the
// end, and each key's time to show (test/browser/smoothness.ts). Figures, never assertions; the machine should be
// otherwise idle.
//
//   npm run bench:page                                  hello and MoCoGAN at their defaults (about 12 minutes)
//   npm run bench:page -- --notebook hello --set minutes=0.5
//   npm run bench:page -- --notebook mocogan --trace /tmp/mocogan-trace.json   also a Chromium performance trace
//   npm run bench:page -- --reduced-motion              as a person who asked their system for less motion
//   npm run bench:page -- --notebook mocogan --on server   the kernel on the server (its fastest backend)
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Page } from "playwright-core";
import { createExperiment, withConfig } from "../test/browser/fixtures";
import { ensureBuild, kernelStatus, launchBrowser, resultsPath, runOnServer, startServer, type TestServer } from "../test/browser/helpers";
import { formatKeys, formatTasks, mainThreadReport, typeInto, watchMainThread, watchTime } from "../test/browser/smoothness";

const NOTEBOOKS = { hello: "experiments/hello.ts", mocogan: "experiments/mocogan.ts" } as const;
type NotebookName = keyof typeof NOTEBOOKS;
// When each person types, in seconds after the first step shows: past the start, well before the end.
const TYPE_IN_TRAIN_AFTER_S = 10;
const TYPE_IN_LAST_AFTER_S = 25;
const TEXT = "\n// written while the model trains, one key at a time";

const { values: args } = parseArgs({
  options: {
    notebook: { type: "string", multiple: true },
    set: { type: "string", multiple: true, default: [] },
    trace: { type: "string" },
    "reduced-motion": { type: "boolean", default: false },
    on: { type: "string", default: "browser" },
  },
});
const names = (args.notebook ?? ["hello", "mocogan"]) as NotebookName[];
for (const n of names) if (!(n in NOTEBOOKS)) throw new Error(`--notebook ${n}: one of ${Object.keys(NOTEBOOKS).join(", ")}`);
if (args.on !== "browser" && args.on !== "server") throw new Error(`--on ${args.on}: browser or server`);

async function benchNotebook(server: TestServer, name: NotebookName): Promise<void> {
  const sets = Object.fromEntries(args.set.map((s) => [s.slice(0, s.indexOf("=")), s.slice(s.indexOf("=") + 1)]));
  const notebook = withConfig(fs.readFileSync(path.join(import.meta.dirname, "..", NOTEBOOKS[name]), "utf8"), sets);
  const slug = await createExperiment(server.url, `bench ${name}`, notebook);
  const browser = await launchBrowser(["--enable-unsafe-webgpu"]);
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
    if (args["reduced-motion"]) await page.emulateMedia({ reducedMotion: "reduce" });
    await page.goto(`${server.url}/experiments/${slug}`);
    await kernelStatus(page, "idle", 120_000);
    if (args.on === "server") await runOnServer(page, 120_000);
    const backend = (await page.getByLabel("Backend", { exact: true }).textContent())?.trim();
    await watchMainThread(page);
    if (args.trace) await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "cc", "viz", "benchmark", "input", "latency"] });

    const started = Date.now();
    await page.getByRole("button", { name: "Run all" }).click();
    const train = page.locator("[data-cell-id]", { hasText: "await fit(" }).first();
    await train.getByRole("progressbar").first().waitFor({ timeout: 600_000 });
    await train.scrollIntoViewIfNeeded();
    const firstStep = Date.now();

    const phases: string[] = [];
    const typeAt = async (afterS: number, where: string, cell = train) => {
      await page.waitForTimeout(Math.max(0, firstStep + afterS * 1000 - Date.now()));
      if (!(await running(page))) return phases.push(`${where}: training had ended`);
      const from = await watchTime(page);
      const keys = await typeInto(page, cell, TEXT);
      phases.push(`${where}: ${formatKeys(await mainThreadReport(page, keys, from))}`);
    };
    await typeAt(TYPE_IN_TRAIN_AFTER_S, "typing in the training cell");
    await typeAt(TYPE_IN_LAST_AFTER_S, "typing in the last code cell", page.locator("[data-cell-id][data-kind=code]").last());
    await train.scrollIntoViewIfNeeded();

    await page.locator("[data-cell-id][data-status='running']").waitFor({ state: "detached", timeout: 3_600_000 });
    const wallS = (Date.now() - started) / 1000;
    const whole = await mainThreadReport(page, 0);
    if (args.trace) fs.writeFileSync(args.trace, await browser.stopTracing());
    await train.screenshot({ path: resultsPath(`bench-page-${name}.png`) });

    const runId = await page.getByRole("complementary").locator("li[data-run-id]").first().getAttribute("data-run-id");
    const run = await (await fetch(`${server.url}/api/runs/${runId}`)).json();
    const last = run.lastMetrics as Record<string, { step: number; value: number | null }>;
    const steps = Math.max(0, ...Object.values(last).map((v) => v.step)) + 1;
    const stepMs = last.step_ms?.value;
    const fvd = last.fvd_mm?.value;
    const errored = await page.locator("[data-cell-id][data-status='error']").count();
    console.log(
      `${name} (${backend}): Run all to the end ${wallS.toFixed(0)} s, run ${run.status}${errored ? `, ${errored} cell(s) in error` : ""}; ` +
        `${steps} steps${stepMs ? `, last step ${stepMs.toFixed(0)} ms` : ""}${fvd != null ? `; FVD-MM ${fvd.toFixed(1)} (n = ${run.hparams.evaluateN})` : ""}`,
    );
    console.log(`  ${formatTasks(whole)} (from Run all to the end)`);
    for (const p of phases) console.log(`  ${p}`);
  } finally {
    await browser.close();
  }
}

function running(page: Page): Promise<boolean> {
  return page
    .locator("[data-cell-id][data-status='running']")
    .count()
    .then((n) => n > 0);
}

ensureBuild();
const server = await startServer();
try {
  console.log(`page smoothness on ${names.join(", ")}${args.set.length ? ` with ${args.set.join(" ")}` : ""}`);
  for (const name of names) await benchNotebook(server, name);
} finally {
  await server.stop();
}
