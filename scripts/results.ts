// `npm run results`: a time-to-quality benchmark. Runs each model's example notebook (experiments/<model>.ts) with
// its own defaults for a wall-clock training budget, through `zoetrope run` as a user would, so every run lands in
// a tracker database and opens in the app. The notebook measures FVD-MM at n = 128 about every minute; this script
// then loads each run's last checkpoint, scores it at n = 512, and writes docs/results.md: the table, a chart of
// FVD-MM against minutes of training with the floor, frozen-real and noise lines (vega-lite rendered to SVG), sample
// GIFs, and with --ablation a table of the recipe's changes, each toggled back on its own.
//   npm run results -- [--minutes 10] [--backend native] [--models tgan,mocogan,vgan] [--db FILE] [--ablation]
//                      [--ablation-models mocogan] [--eval-every 1] [--n 128] [--n-final 512] [--seed 1] [--note "…"]
import { spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import * as vega from "vega";
import { compile as compileVegaLite, type TopLevelSpec } from "vega-lite";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import * as tf from "@tensorflow/tfjs-core";
import * as gan from "../lib/gan";
import type { BackendName } from "../lib/gan/backend";
import { loadCheckpoint } from "../lib/gan/checkpoint";
import { loadDigits } from "../lib/gan/data/mnist-load";
import { frozenInTime, metricNets, movingMnistSource, noiseLike, scoresAgainst, setStats, type VideoScores } from "../lib/gan/metrics/evaluate";
import { openTracker } from "../lib/runner/cli/tracker";
import type { TrackerSink } from "../lib/runner/tracking/sink";
import { ABLATIONS, chartSpec, type Ablation, type Curve } from "./results-spec";

const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    backend: { type: "string", default: "native" },
    models: { type: "string", default: gan.modelKinds.join(",") },
    db: { type: "string" },
    ablation: { type: "boolean", default: false },
    "ablation-models": { type: "string", default: "mocogan" },
    "eval-every": { type: "string", default: "1" },
    n: { type: "string", default: "128" },
    "n-final": { type: "string", default: "512" },
    seed: { type: "string", default: "1" },
    out: { type: "string", default: "docs" },
    note: { type: "string" },
  },
});
const minutes = Number(args.minutes);
const evalEvery = Number(args["eval-every"]);
const n = Number(args.n);
const nFinal = Number(args["n-final"]);
const seed = Number(args.seed);
const out = args.out!;
const dbFile = path.resolve(args.db ?? path.join("data", "zoetrope.db"));
const SHAPE = { frames: 16, size: 32, channels: 1 };

/** One notebook run as recorded: its FVD-MM curve and what the script measured afterwards. */
interface RunResult {
  kind: gan.ModelKind;
  label: string;
  runId: string;
  status: string;
  wallSeconds: number; // the whole `zoetrope run`, start to end
  msPerStep: number;
  steps: number;
  curve: Curve["points"]; // FVD-MM at n against minutes of training
  final?: gan.VideoMetrics; // at n-final, from the last checkpoint
  gif?: string;
}

const log = (() => {
  const t0 = performance.now();
  return (s: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(0)} s] ${s}`);
})();

/** `zoetrope run` of one notebook with `sets`, recorded into dbFile. */
async function runNotebook(kind: gan.ModelKind, name: string, sets: Record<string, string | number | boolean>): Promise<{ runId: string; status: string; seconds: number }> {
  const summaryFile = path.join(os.tmpdir(), `zoetrope-results-${process.pid}-${kind}.json`);
  const all = { minutes, steps: 0, evaluateN: n, evaluateEveryMinutes: evalEvery, seed, ...sets };
  const argv = ["bin/zoetrope.js", "run", `experiments/${kind}.ts`, "--db", dbFile, "--backend", args.backend!, "--name", name, "--summary", summaryFile];
  for (const [k, v] of Object.entries(all)) argv.push("--set", `${k}=${v}`);
  const t0 = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ["ignore", "ignore", "inherit"] });
    child.on("error", reject);
    child.on("close", resolve);
  });
  const seconds = (performance.now() - t0) / 1000;
  const summary = JSON.parse(await readFile(summaryFile, "utf8")) as { runId?: string; status: string };
  await rm(summaryFile, { force: true });
  if (!summary.runId) throw new Error(`${kind}: zoetrope run exited ${code} without a run`);
  return { runId: summary.runId, status: summary.status, seconds };
}

/** A metric's points (step → value) from the tracker's chunks: little-endian Float64 columns. */
function series(db: Database.Database, runId: string, key: string): Map<number, number> {
  const rows = db.prepare('SELECT steps, "values" FROM MetricChunk WHERE runId = ? AND key = ? ORDER BY batch').all(runId, key) as { steps: Buffer; values: Buffer }[];
  const floats = (b: Buffer) => Array.from({ length: b.byteLength / 8 }, (_, i) => b.readDoubleLE(i * 8));
  const points = new Map<number, number>();
  for (const r of rows) {
    const [steps, values] = [floats(r.steps), floats(r.values)];
    steps.forEach((s, i) => points.set(s, values[i]));
  }
  return points;
}

let sink: TrackerSink | undefined;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** Reads the run's curve and step time, then scores its last checkpoint at n-final (and makes its GIF). */
async function measure(kind: gan.ModelKind, label: string, run: { runId: string; status: string; seconds: number }, final: boolean): Promise<RunResult> {
  const db = new Database(dbFile, { readonly: true });
  let curve: RunResult["curve"];
  let stepMs: Map<number, number>;
  try {
    const fvd = series(db, run.runId, "fvd_mm");
    const at = series(db, run.runId, "train_minutes");
    curve = [...fvd].filter(([step]) => at.has(step)).map(([step, value]) => ({ minutes: at.get(step)!, fvd: value, step }));
    stepMs = series(db, run.runId, "step_ms");
  } finally {
    db.close();
  }
  const result: RunResult = { kind, label, runId: run.runId, status: run.status, wallSeconds: run.seconds, msPerStep: median([...stepMs.values()].slice(1)), steps: Math.max(0, ...stepMs.keys()), curve };
  if (!final) return result;
  sink ??= await openTracker({ db: dbFile }); // points the tracker (and its sample and checkpoint files) at dbFile
  const latest = await sink.latestCheckpoint(run.runId);
  if (!latest) return result;
  const artifacts = await sink.checkpointLoader(run.runId, latest.id).load!();
  const meta = gan.checkpointMeta(artifacts);
  const model = gan.createModel(meta.kind as gan.ModelKind, meta.config as never, seed);
  const { state } = await loadCheckpoint({ load: async () => artifacts }, model, { weightsOnly: true });
  result.final = await gan.evaluateVideoGan(model, { n: nFinal, seed });
  await sink.postMetrics(run.runId, 1_000_000, { [`fvd_mm_n${nFinal}`]: { steps: [meta.step], values: [result.final.fvd_mm], times: [Date.now()] } });
  const video = gan.sample(model, 8, { seed: 7 });
  result.gif = `results-${kind}.gif`;
  await writeFile(path.join(out, result.gif), await gan.videoToGif(video, { delayMs: 125 }));
  video.dispose();
  state.dispose();
  model.dispose();
  return result;
}

/** The chart's reference lines at n: a second real set (the floor), real clips frozen on one frame, uniform noise. */
async function referenceLines(): Promise<Record<string, VideoScores>> {
  const nets = await metricNets();
  const real = movingMnistSource(await loadDigits(), { frames: SHAPE.frames, size: SHAPE.size, numDigits: 2, split: "test" });
  const reference = await setStats(nets, real, n, 101);
  const sources = {
    "floor (a second real set)": real,
    "real, frozen on one frame": frozenInTime(real),
    "uniform noise": noiseLike({ frames: SHAPE.frames, height: SHAPE.size, width: SHAPE.size, channels: 1 }),
  };
  const lines: Record<string, VideoScores> = {};
  for (const [name, source] of Object.entries(sources)) lines[name] = scoresAgainst(reference, await setStats(nets, source, n, 202));
  return lines;
}

/** vega-lite → vega → SVG, in Node without a browser. */
async function renderSvg(spec: object): Promise<string | undefined> {
  try {
    const view = new vega.View(vega.parse(compileVegaLite(spec as TopLevelSpec).spec), { renderer: "none" });
    const svg = await view.toSVG();
    view.finalize();
    return svg;
  } catch (err) {
    log(`chart not rendered (${(err as Error).message}); the spec is saved beside results.md`);
    return undefined;
  }
}

const f = (v: number | undefined, d = 1) => (v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(d));

/** FVD-MM at the last evaluation taken within `m` minutes of training; none if the run stopped well short of m. */
function fvdAt(r: RunResult, m: number): number | undefined {
  if ((r.curve.at(-1)?.minutes ?? 0) < m - 0.5) return undefined;
  return r.curve.filter((p) => p.minutes <= m + 0.25).at(-1)?.fvd;
}

function report(rows: RunResult[], ablation: RunResult[], lines: Record<string, VideoScores>, chart: { svg?: string; spec: string }, seconds: number): string {
  const cpu = os.cpus();
  const hardware = `${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.arch()}`;
  const floor = rows.find((r) => r.final)?.final?.floor;
  const argv = process.argv.slice(2);
  const noteAt = argv.indexOf("--note");
  const shown = (noteAt >= 0 ? [...argv.slice(0, noteAt), ...argv.slice(noteAt + 2)] : argv).join(" ");
  const md = [
    "# Results: time to quality for TGAN, MoCoGAN and VGAN on Moving MNIST",
    "",
    `Written by \`npm run results -- ${shown}\` on ${new Date().toISOString().slice(0, 10)} in ${(seconds / 60).toFixed(0)} min.`,
    ...(args.note ? ["", args.note] : []),
    "",
    `Each model's example notebook (\`experiments/<model>.ts\`) runs with its own defaults for ${minutes} minutes of training`,
    `(\`zoetrope run … --set minutes=${minutes}\`, backend ${args.backend}), on two-digit Moving MNIST at 16 frames of 32×32. The`,
    `notebook measures FVD-MM at n = ${n} about every ${evalEvery} minute(s) of training (evaluation time is not counted as`,
    `training); this script then scores the last checkpoint at n = ${nFinal}. FVD-MM and FID-MM are Fréchet distances between`,
    "the embeddings of classifiers trained on Moving MNIST (`lib/gan/metrics`): lower is better; the floor (a second",
    "set of real clips) is the best n clips can show. The runs are in the tracker database `" + path.relative(process.cwd(), dbFile) + "`.",
    "",
    `| model | FVD-MM n=${n} at 5 min | FVD-MM n=${n} at end | FVD-MM n=${nFinal} | FID-MM n=${nFinal} | digit confidence | floor FVD-MM n=${nFinal} | steps | ms/step | notebook wall time | run |`,
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...rows.map((r) =>
      `| ${r.kind} | ${f(fvdAt(r, 5))} | ${f(r.curve.at(-1)?.fvd)} | ${f(r.final?.fvd_mm)} | ${f(r.final?.fid_mm)} | ${f(r.final?.digit_conf, 3)} | ${f(r.final?.floor.fvd_mm)} | ${r.steps} | ${f(r.msPerStep, 0)} | ${(r.wallSeconds / 60).toFixed(1)} min | \`${r.runId}\` |`),
    "",
    `Hardware: ${hardware}; Node ${process.version}. ms/step is the median of the run's step_ms.`,
    floor ? `Floor at n = ${nFinal}: FVD-MM ${f(floor.fvd_mm, 2)}, FID-MM ${f(floor.fid_mm, 2)}.` : "",
    "",
    `## FVD-MM against minutes of training (n = ${n})`,
    "",
    chart.svg ? "![FVD-MM against minutes](results-chart.svg)" : `The chart's vega-lite spec is \`${chart.spec}\` (render it with vega-lite; see the log of this run).`,
    "",
    "| reference | FVD-MM | FID-MM |",
    "| --- | ---: | ---: |",
    ...Object.entries(lines).map(([name, m]) => `| ${name} | ${f(m.fvd_mm, 1)} | ${f(m.fid_mm, 1)} |`),
    "",
    "## Samples at the end",
    "",
    "Eight videos per model from a fixed latent (seed 7), from the EMA generator of the last checkpoint:",
    "",
    ...rows.filter((r) => r.gif).map((r) => `**${r.kind}**\n\n![${r.kind} samples](${r.gif})\n`),
  ];
  if (ablation.length) {
    md.push(
      "## Ablation: each change of the recipe toggled on its own",
      "",
      `Each row runs the notebook's defaults with one change (\`--set\` shown), for ${minutes} minutes. FVD-MM at n = ${n}.`,
      "",
      "| model | change | --set | FVD-MM at 5 min | FVD-MM at 10 min | ms/step | steps | run |",
      "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |",
      ...ablation.map((r) => {
        const a = ABLATIONS[r.kind].find((x) => x.label === r.label);
        const sets = a && Object.keys(a.set).length ? Object.entries(a.set).map(([k, v]) => `${k}=${v}`).join(" ") : "(defaults)";
        return `| ${r.kind} | ${r.label} | \`${sets}\` | ${f(fvdAt(r, 5))} | ${f(fvdAt(r, 10))} | ${f(r.msPerStep, 0)} | ${r.steps} | \`${r.runId}\` |`;
      }),
      "",
    );
  }
  return md.filter((l, i) => !(l === "" && md[i - 1] === "")).join("\n") + "\n";
}

async function main(): Promise<void> {
  const started = performance.now();
  tf.env().set("PROD", true);
  await gan.initBackend(args.backend as BackendName); // for scoring here; each notebook run starts its own
  await mkdir(out, { recursive: true });
  const kinds = args.models!.split(",").filter(gan.isModelKind);
  // Every notebook runs first: each `zoetrope run` migrates the database, which fails while this process holds it.
  const runs: { kind: gan.ModelKind; label: string; run: Awaited<ReturnType<typeof runNotebook>> }[] = [];
  for (const kind of kinds) {
    log(`${kind}: running experiments/${kind}.ts for ${minutes} min`);
    runs.push({ kind, label: "recipe", run: await runNotebook(kind, `results ${kind} ${minutes} min`, {}) });
  }
  const ablationRuns: typeof runs = [];
  if (args.ablation) {
    for (const kind of args["ablation-models"]!.split(",").filter(gan.isModelKind)) {
      for (const a of ABLATIONS[kind] as Ablation[]) {
        if (Object.keys(a.set).length === 0 && kinds.includes(kind)) continue; // the recipe's own run above
        log(`ablation ${kind}: ${a.label}`);
        ablationRuns.push({ kind, label: a.label, run: await runNotebook(kind, `ablation ${kind}: ${a.label}`, a.set) });
      }
    }
  }
  const rows: RunResult[] = [];
  for (const { kind, label, run } of runs) {
    rows.push(await measure(kind, label, run, true));
    log(`${kind}: ${run.status}, FVD-MM ${f(rows.at(-1)!.curve.at(-1)?.fvd)} (n = ${n}), ${f(rows.at(-1)!.final?.fvd_mm)} (n = ${nFinal})`);
  }
  const ablation: RunResult[] = [];
  for (const kind of args.ablation ? args["ablation-models"]!.split(",").filter(gan.isModelKind) : []) {
    for (const a of ABLATIONS[kind] as Ablation[]) {
      const own = rows.find((r) => r.kind === kind);
      const done = ablationRuns.find((r) => r.kind === kind && r.label === a.label);
      if (done) ablation.push(await measure(kind, a.label, done.run, false));
      else if (own) ablation.push({ ...own, label: a.label });
    }
  }
  const lines = await referenceLines();
  const curves: Curve[] = rows.map((r) => ({ name: r.kind, points: r.curve }));
  const spec = chartSpec(curves, Object.fromEntries(Object.entries(lines).map(([k, v]) => [k, v.fvd_mm])), n);
  const specFile = "results-chart.vl.json";
  await writeFile(path.join(out, specFile), JSON.stringify(spec, null, 2) + "\n");
  const svg = await renderSvg(spec);
  if (svg) await writeFile(path.join(out, "results-chart.svg"), svg);
  const seconds = (performance.now() - started) / 1000;
  await writeFile(path.join(out, "results.md"), report(rows, ablation, lines, { svg, spec: specFile }, seconds));
  const json = { minutes, backend: args.backend, n, nFinal, seed, db: dbFile, seconds, rows, ablation, lines };
  await writeFile(path.join(out, "results.json"), JSON.stringify(json, null, 2) + "\n");
  log(`wrote ${path.join(out, "results.md")} in ${(seconds / 60).toFixed(1)} min`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
