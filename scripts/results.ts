// `npm run results`: trains TGAN, MoCoGAN and VGAN on Moving MNIST at 16×32×32 with one step budget, measures each
// with FVD-MM, FID-MM and digit confidence (beside the real-vs-real floor and the untrained model), and writes
// docs/results.md with a sample GIF per model (docs/results-<model>.gif).
//   npm run results -- [--steps 1000] [--n 512] [--batch 16] [--width 1] [--backend wasm] [--seed 0]
//                      [--models tgan,mocogan,vgan] [--note "…"]
import os from "node:os";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
import * as gan from "../lib/gan";
import type { BackendName } from "../lib/gan/backend";
import { loadDigits } from "../lib/gan/data/mnist-load";
import { frozenInTime, metricNets, movingMnistSource, noiseLike, scoresAgainst, setStats, shuffledInTime, type VideoScores } from "../lib/gan/metrics/evaluate";
import { formatMetrics } from "../lib/runner/cli/eval";

const { values: args } = parseArgs({
  options: {
    steps: { type: "string", default: "1000" },
    n: { type: "string", default: "512" },
    batch: { type: "string", default: "16" },
    width: { type: "string", default: "1" },
    backend: { type: "string", default: "wasm" },
    seed: { type: "string", default: "0" },
    models: { type: "string", default: gan.modelKinds.join(",") },
    out: { type: "string", default: "docs" },
    note: { type: "string" },
  },
});
const steps = Number(args.steps);
const n = Number(args.n);
const batchSize = Number(args.batch);
const width = Number(args.width);
const seed = Number(args.seed);
const SHAPE = { frames: 16, size: 32, channels: 1 };

interface Row {
  kind: gan.ModelKind;
  metrics: gan.VideoMetrics;
  msPerStep: number;
  trainSeconds: number;
  params: number;
  gif: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function runModel(kind: gan.ModelKind, log: (s: string) => void): Promise<Row> {
  const data = await gan.createDataset("moving-mnist", { frames: SHAPE.frames, size: SHAPE.size, numDigits: 2, split: "train" }, seed);
  const model = gan.createModel(kind, { ...SHAPE, width }, seed);
  const params = model.generatorVars.reduce((a, v) => a + v.size, 0);
  const times: number[] = [];
  const t0 = performance.now();
  const { state } = await gan.train(model, data, {
    steps,
    batchSize,
    seed,
    onStep: (m) => {
      times.push(m.step_ms);
      if (m.step === 1 || m.step % Math.max(1, Math.floor(steps / 5)) === 0) log(`${kind} step ${m.step}/${steps}: loss_d ${m.loss_d.toFixed(3)} loss_g ${m.loss_g.toFixed(3)} (${m.step_ms.toFixed(0)} ms)`);
    },
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  const metrics = await gan.evaluateVideoGan(model, { n, seed });
  log(`${kind}:\n${formatMetrics(metrics)}`);
  const video = gan.sample(model, 8, { seed: 7 });
  const gif = `results-${kind}.gif`;
  await writeFile(path.join(args.out!, gif), await gan.videoToGif(video, { delayMs: 125 }));
  video.dispose();
  state.dispose();
  model.dispose();
  return { kind, metrics, msPerStep: median(times.slice(1)), trainSeconds, params, gif };
}

/** FVD-MM and FID-MM of doctored real clips against real clips: how the metric reacts to broken time. */
async function sensitivity(): Promise<Record<string, VideoScores>> {
  const nets = await metricNets();
  const real = movingMnistSource(await loadDigits(), { frames: SHAPE.frames, size: SHAPE.size, numDigits: 2, split: "test" });
  const reference = await setStats(nets, real, n, 101);
  const sources = {
    "real (a second set)": real,
    "real, frames shuffled in time": shuffledInTime(real),
    "real, one frame repeated": frozenInTime(real),
    "uniform noise": noiseLike({ frames: SHAPE.frames, height: SHAPE.size, width: SHAPE.size, channels: 1 }),
  };
  const out: Record<string, VideoScores> = {};
  for (const [name, source] of Object.entries(sources)) out[name] = scoresAgainst(reference, await setStats(nets, source, n, 202));
  return out;
}

const f = (v: number | undefined, d = 1) => (v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(d));

/** The command line as run, without the note (printed on its own). */
function shownArgs(): string {
  const argv = process.argv.slice(2);
  const at = argv.indexOf("--note");
  return (at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : argv).join(" ");
}

function report(rows: Row[], backend: string, seconds: number, realGif: string, probe: Record<string, VideoScores>): string {
  const cpu = os.cpus();
  const hardware = `${cpu.length} × ${cpu[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.arch()}`;
  const floor = rows[0]?.metrics.floor;
  const lines = [
    "# Results: TGAN, MoCoGAN and VGAN on Moving MNIST",
    "",
    `Written by \`npm run results -- ${shownArgs()}\` on ${new Date().toISOString().slice(0, 10)} in ${(seconds / 60).toFixed(1)} min.`,
    ...(args.note ? ["", args.note] : []),
    "",
    `Each model trains for ${steps} steps (batch ${batchSize}, seed ${seed}, the paper's optimiser settings, width ×${width}) on`,
    "two-digit Moving MNIST at 16 frames of 32×32 (train digits), then generates n clips that are compared with n real clips",
    `of test digits; n = ${n}. FVD-MM and FID-MM are Fréchet distances between Gaussians fitted to the embeddings of`,
    "classifiers trained on Moving MNIST (`lib/gan/metrics`, weights in `lib/gan/metrics/weights`): lower is better, and",
    "the *floor* — a second set of real clips scored the same way — is the best that n clips can show. *Untrained* is the",
    "same architecture with its initial weights. Digit confidence is the frame classifier's mean max-softmax (real",
    "two-digit frames sit near ½: the classifier splits its belief between the two digits).",
    "",
    "| model | FVD-MM | FID-MM | digit confidence | FVD-MM floor | FID-MM floor | real confidence | FVD-MM untrained | FID-MM untrained | untrained confidence | steps | ms/step | G params | backend |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...rows.map((r) => {
      const m = r.metrics;
      return `| ${r.kind} | ${f(m.fvd_mm)} | ${f(m.fid_mm)} | ${f(m.digit_conf, 3)} | ${f(m.floor.fvd_mm)} | ${f(m.floor.fid_mm)} | ${f(m.floor.digit_conf, 3)} | ${f(m.untrained?.fvd_mm)} | ${f(m.untrained?.fid_mm)} | ${f(m.untrained?.digit_conf, 3)} | ${steps} | ${f(r.msPerStep, 0)} | ${(r.params / 1e6).toFixed(2)} M | ${backend} |`;
    }),
    "",
    `Hardware: ${hardware}; Node ${process.version}. ms/step is the median wall time of one D+G step (evaluation excluded).`,
    floor ? `The floor is the same for every model (same real sets): FVD-MM ${f(floor.fvd_mm, 2)}, FID-MM ${f(floor.fid_mm, 2)}.` : "",
    "",
    "## What the metric sees",
    "",
    `Real clips doctored in time, against n = ${n} real clips (the classifier's own check; \`test/gan/metrics/evaluate.test.ts\``,
    "asserts this order at n = 128):",
    "",
    "| clips | FVD-MM | FID-MM | digit confidence |",
    "| --- | ---: | ---: | ---: |",
    ...Object.entries(probe).map(([name, m]) => `| ${name} | ${f(m.fvd_mm, 2)} | ${f(m.fid_mm, 2)} | ${f(m.digit_conf, 3)} |`),
    "",
    "Shuffling keeps every frame (FID-MM stays at the floor) but breaks the motion; repeating a frame removes the motion.",
    "",
    "## Samples",
    "",
    "Eight videos per model from a fixed latent (seed 7), and real clips for comparison:",
    "",
    ...rows.map((r) => `**${r.kind}** (${r.trainSeconds.toFixed(0)} s of training)\n\n![${r.kind} samples](${r.gif})\n`),
    `**real** (test digits)\n\n![real clips](${realGif})`,
    "",
  ];
  return lines.filter((l, i) => !(l === "" && lines[i - 1] === "")).join("\n");
}

async function main(): Promise<void> {
  const started = performance.now();
  const log = (s: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${s}`);
  tf.env().set("PROD", true);
  const info = await gan.initBackend(args.backend as BackendName);
  log(`backend ${info.backend}; ${steps} steps, n ${n}, batch ${batchSize}, width ${width}`);
  await mkdir(args.out!, { recursive: true });
  const kinds = args.models!.split(",").filter(gan.isModelKind);
  const rows: Row[] = [];
  for (const kind of kinds) rows.push(await runModel(kind, log));
  const real = await gan.createDataset("moving-mnist", { frames: SHAPE.frames, size: SHAPE.size, numDigits: 2, split: "test" }, 7);
  const realVideo = real.nextBatch(8);
  await writeFile(path.join(args.out!, "results-real.gif"), await gan.videoToGif(realVideo, { delayMs: 125 }));
  realVideo.dispose();
  const probe = await sensitivity();
  log(`sensitivity: ${JSON.stringify(probe)}`);
  const seconds = (performance.now() - started) / 1000;
  await writeFile(path.join(args.out!, "results.md"), report(rows, info.backend, seconds, "results-real.gif", probe));
  await writeFile(path.join(args.out!, "results.json"), JSON.stringify({ steps, n, batchSize, width, seed, backend: info.backend, seconds, rows, sensitivity: probe }, null, 2) + "\n");
  log(`wrote ${path.join(args.out!, "results.md")} in ${(seconds / 60).toFixed(1)} min`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
