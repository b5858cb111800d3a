// Trains the video-metric networks (lib/gan/metrics/classifier.ts) on Moving MNIST's train digits, evaluates them on
// its test digits, and writes the weights (model.json + weights.bin) and metrics.json to lib/gan/metrics/weights/.
// Reproducible from the seed on one backend (wasm by default, the fastest CPU backend here).
//   npx tsx scripts/train-fvd-classifier.ts [--seed 0] [--clip-steps 2000] [--frame-steps 1000] [--batch 32]
//                                           [--backend wasm] [--out lib/gan/metrics/weights]
// Clips mix 2-digit (¾ of each batch: the datasets' default) and 1-digit Moving MNIST at 16×32×32.
import os from "node:os";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../lib/gan";
import type { BackendName } from "../lib/gan/backend";
import { fileCheckpoint } from "../lib/gan/checkpoint/fs";
import { loadDigits } from "../lib/gan/data/mnist-load";
import { MovingMnist, type MovingMnistLabels } from "../lib/gan/data/moving-mnist";
import { subSeed } from "../lib/gan/random";
import { buildMetricNets, DIGIT_CLASSES, type MetricNets } from "../lib/gan/metrics/classifier";
import { clipLoss, clipTargets, frameLoss, frameTargets, type ClipTargets } from "../lib/gan/metrics/targets";
import { METRIC_WEIGHTS_PATH, metricNetsArtifacts } from "../lib/gan/metrics/weights";

const { values: args } = parseArgs({
  options: {
    seed: { type: "string", default: "0" },
    "clip-steps": { type: "string", default: "2000" },
    "frame-steps": { type: "string", default: "1000" },
    batch: { type: "string", default: "32" },
    lr: { type: "string", default: "3e-3" },
    backend: { type: "string", default: "wasm" },
    out: { type: "string", default: METRIC_WEIGHTS_PATH },
    "eval-n": { type: "string", default: "512" },
  },
});
const seed = Number(args.seed);
const clipSteps = Number(args["clip-steps"]);
const frameSteps = Number(args["frame-steps"]);
const batch = Number(args.batch);
const lr = Number(args.lr);
const evalN = Number(args["eval-n"]);
const SHAPE = { size: 32, frames: 16 };

interface Batch {
  videos: tf.Tensor5D; // [B, 16, 32, 32, 1]
  labels: MovingMnistLabels[]; // one per dataset part
  parts: number[];
}

/** ¾ two-digit, ¼ one-digit clips, as one tensor. */
function drawBatch(two: MovingMnist, one: MovingMnist, n: number): Batch {
  const n1 = Math.floor(n / 4);
  const n2 = n - n1;
  const a = two.nextLabelledBatchArray(n2);
  const b = one.nextLabelledBatchArray(n1);
  const all = new Float32Array(a.videos.length + b.videos.length);
  all.set(a.videos);
  all.set(b.videos, a.videos.length);
  return { videos: tf.tensor5d(all, [n, SHAPE.frames, SHAPE.size, SHAPE.size, 1]), labels: [a.labels, b.labels], parts: [n2, n1] };
}

function joinClipTargets(batch: Batch, nets: MetricNets): ClipTargets {
  const parts = batch.labels.map((l, i) => clipTargets(l, batch.parts[i], nets.config));
  const cat = <T extends Float32Array | Int32Array>(xs: T[], make: (n: number) => T): T => {
    const out = make(xs.reduce((n, x) => n + x.length, 0));
    let at = 0;
    for (const x of xs) {
      out.set(x, at);
      at += x.length;
    }
    return out;
  };
  return {
    n: parts.reduce((n, p) => n + p.n, 0),
    digits: cat(parts.map((p) => p.digits), (n) => new Float32Array(n)),
    motion: cat(parts.map((p) => p.motion), (n) => new Int32Array(n)),
    mask: cat(parts.map((p) => p.mask), (n) => new Float32Array(n)),
  };
}

function clipTargetTensors(t: ClipTargets, nets: MetricNets) {
  const m = nets.config.moments;
  return {
    digits: tf.tensor2d(t.digits, [t.n, DIGIT_CLASSES]),
    motion: tf.tensor3d(t.motion, [t.n, DIGIT_CLASSES, m], "int32"),
    mask: tf.tensor3d(t.mask, [t.n, DIGIT_CLASSES, m]),
  };
}

function frameTargetTensor(batch: Batch): tf.Tensor2D {
  const parts = batch.labels.map((l, i) => frameTargets(l, batch.parts[i]));
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return tf.tensor2d(all, [all.length / DIGIT_CLASSES, DIGIT_CLASSES]);
}

/** Adam reads its learning rate at every update; TF.js only lacks a public setter. */
const setRate = (opt: tf.AdamOptimizer, rate: number) => void ((opt as unknown as { learningRate: number }).learningRate = rate);

const frames = (v: tf.Tensor5D) => tf.reshape(v, [-1, SHAPE.size, SHAPE.size, 1]) as tf.Tensor4D;

async function trainClip(nets: MetricNets, two: MovingMnist, one: MovingMnist, log: (s: string) => void): Promise<number> {
  const opt = tf.train.adam(lr);
  const vars = nets.clip.store.trainable();
  const t0 = performance.now();
  for (let step = 1; step <= clipSteps; step++) {
    if (step === Math.floor(clipSteps * 0.75)) setRate(opt, lr / 4); // a late drop settles the last quarter
    const b = drawBatch(two, one, batch);
    const targets = clipTargetTensors(joinClipTargets(b, nets), nets);
    let parts: { digitLoss: number; motionLoss: number } | undefined;
    const loss = opt.minimize(() => {
      const out = clipLoss(nets.clip.heads(nets.clip.embed(b.videos)), targets);
      if (step % 50 === 0) parts = { digitLoss: out.digitLoss.dataSync()[0], motionLoss: out.motionLoss.dataSync()[0] };
      return out.loss;
    }, true, vars);
    if (step % 50 === 0 || step === 1) {
      const ms = (performance.now() - t0) / step;
      log(`clip ${step}/${clipSteps} loss ${loss!.dataSync()[0].toFixed(4)} ${parts ? `digits ${parts.digitLoss.toFixed(4)} motion ${parts.motionLoss.toFixed(4)} ` : ""}(${ms.toFixed(0)} ms/step)`);
    }
    tf.dispose([loss!, b.videos, ...Object.values(targets)]);
  }
  opt.dispose();
  return (performance.now() - t0) / 1000;
}

async function trainFrame(nets: MetricNets, two: MovingMnist, one: MovingMnist, log: (s: string) => void): Promise<number> {
  const opt = tf.train.adam(lr);
  const vars = nets.frame.store.trainable();
  const clips = 16; // 256 frames per step
  const t0 = performance.now();
  for (let step = 1; step <= frameSteps; step++) {
    if (step === Math.floor(frameSteps * 0.75)) setRate(opt, lr / 4);
    const b = drawBatch(two, one, clips);
    const targets = frameTargetTensor(b);
    const loss = opt.minimize(() => frameLoss(nets.frame.logits(nets.frame.embed(frames(b.videos))), targets), true, vars);
    if (step % 50 === 0 || step === 1) {
      log(`frame ${step}/${frameSteps} loss ${loss!.dataSync()[0].toFixed(4)} (${((performance.now() - t0) / step).toFixed(0)} ms/step)`);
    }
    tf.dispose([loss!, b.videos, targets]);
  }
  opt.dispose();
  return (performance.now() - t0) / 1000;
}

/** Accuracies on test-digit clips of `numDigits` digits. */
async function evaluate(nets: MetricNets, data: MovingMnist, n: number) {
  const counts = { clips: 0, digitSets: 0, digitBits: 0, motion: 0, motionTotal: 0, frameHits: 0, frames: 0 };
  const k = data.config.numDigits;
  for (let done = 0; done < n; done += 64) {
    const m = Math.min(64, n - done);
    const { videos, labels } = data.nextLabelledBatchArray(m);
    const t = clipTargets(labels, m, nets.config);
    const frameT = frameTargets(labels, m);
    const x = tf.tensor5d(videos, [m, SHAPE.frames, SHAPE.size, SHAPE.size, 1]);
    const [digits, motion, frameLogits] = tf.tidy(() => {
      const h = nets.clip.heads(nets.clip.embed(x));
      return [h.digits, tf.argMax(h.motion, -1), nets.frame.logits(nets.frame.embed(frames(x)))];
    });
    const [dv, mv, fv] = [await digits.data(), await motion.data(), await frameLogits.data()];
    tf.dispose([x, digits, motion, frameLogits]);
    for (let b = 0; b < m; b++) {
      let all = true;
      for (let c = 0; c < DIGIT_CLASSES; c++) {
        const ok = dv[b * DIGIT_CLASSES + c] > 0 === t.digits[b * DIGIT_CLASSES + c] > 0;
        counts.digitBits += Number(ok);
        all &&= ok;
      }
      counts.digitSets += Number(all);
    }
    for (let i = 0; i < t.mask.length; i++) {
      if (!t.mask[i]) continue;
      counts.motionTotal++;
      counts.motion += Number(mv[i] === t.motion[i]);
    }
    // A frame is right when its top-k classes (k = distinct digits in it) are exactly the classes it shows.
    for (let f = 0; f < m * SHAPE.frames; f++) {
      const target = frameT.subarray(f * DIGIT_CLASSES, (f + 1) * DIGIT_CLASSES);
      const present = [...target.keys()].filter((c) => target[c] > 0);
      const ranked = [...Array(DIGIT_CLASSES).keys()].sort((a, b) => fv[f * DIGIT_CLASSES + b] - fv[f * DIGIT_CLASSES + a]);
      counts.frameHits += Number(ranked.slice(0, present.length).every((c) => target[c] > 0));
      counts.frames++;
    }
    counts.clips += m;
  }
  return {
    numDigits: k,
    clips: counts.clips,
    digitSetAccuracy: counts.digitSets / counts.clips,
    digitPresenceAccuracy: counts.digitBits / (counts.clips * DIGIT_CLASSES),
    directionAccuracy: counts.motion / counts.motionTotal,
    frameTopKAccuracy: counts.frameHits / counts.frames,
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const log = (s: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${s}`);
  const info = await initBackend(args.backend as BackendName);
  log(`backend ${info.backend}, seed ${seed}, clip steps ${clipSteps}, frame steps ${frameSteps}, batch ${batch}`);
  const digits = await loadDigits();
  const make = (numDigits: number, split: "train" | "test", label: string) =>
    new MovingMnist(digits, { ...SHAPE, numDigits, split }, subSeed(seed, label));
  const nets = buildMetricNets({}, subSeed(seed, "init"));
  const clipSeconds = await trainClip(nets, make(2, "train", "clip2"), make(1, "train", "clip1"), log);
  const frameSeconds = await trainFrame(nets, make(2, "train", "frame2"), make(1, "train", "frame1"), log);
  const test = [await evaluate(nets, make(2, "test", "test2"), evalN), await evaluate(nets, make(1, "test", "test1"), evalN / 2)];
  for (const r of test) log(`test (${r.numDigits} digit): ${JSON.stringify(r)}`);

  const training = {
    seed,
    backend: info.backend,
    data: "Moving MNIST 16×32×32, train digits (¾ two-digit, ¼ one-digit clips); accuracies on test digits",
    clip: { steps: clipSteps, batch, seconds: Math.round(clipSeconds) },
    frame: { steps: frameSteps, batch: 256, seconds: Math.round(frameSeconds) },
    optimizer: `Adam lr ${lr}, ÷4 for the last quarter`,
    hardware: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "unknown CPU"}`,
    test,
  };
  await fileCheckpoint(args.out!).save!(await metricNetsArtifacts(nets, training));
  await writeFile(path.join(args.out!, "metrics.json"), JSON.stringify(training, null, 2) + "\n");
  log(`wrote ${args.out}`);
  nets.dispose();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
