// `npm run pretrain`: trains a model for the app's trained checkpoints (gan.pretrained, lib/gan/pretrained.ts).
//   npx tsx scripts/train-pretrained.ts --model mocogan [--minutes 60] [--steps N] [--backend native]
//       [--notebook experiments/mocogan.ts] [--out lib/gan/pretrained/mocogan] [--set key=value …] [--n 512]
//       [--eval-seed 0] [--samples DIR] [--db FILE]
// It runs the model's example notebook headlessly, with its defaults and the overrides given, through the same
// kernel as `zoetrope run`, up to and including the cell that trains (the first whose fit() saves a checkpoint);
// takes that cell's last checkpoint; stores it float16 in --out with a metrics.json; and scores the stored weights
// with FVD-MM and FID-MM at n = --n (0: not at all). --minutes and --steps (steps in all) set the notebook's budget,
// whichever ends first (--minutes 0: the notebook's own); --samples saves the sample GIFs the notebook shows; --db
// records the run in a tracker database as `zoetrope run --db` does. Ctrl-C ends the training early and still
// saves (a second Ctrl-C quits).
//
// Why run the notebook rather than rebuild its model here: the notebook *is* the recipe (config defaults, how they
// map onto createModel and createTrainState, fit's schedule), and it changes as the recipes improve. Running its
// cells builds exactly what a user gets, with nothing to keep in step; the kernel's checkpoints carry the model's
// config, every variable, both Adams and the EMA, which is all a checkpoint to sample and fine-tune from needs.
//
// The metric networks take no part in training: the notebook's own evaluation is switched off (evaluateN=0, unless
// --set says otherwise; it only measures), and the networks are loaded only after training, to score a separate
// model built from the stored weights.
import { cpus } from "node:os";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs-core";
import * as gan from "../lib/gan";
import type { BackendName } from "../lib/gan/backend";
import { checkpointMeta } from "../lib/gan/checkpoint";
import { quantizeFloat16 } from "../lib/gan/checkpoint/float16";
import { fileCheckpoint } from "../lib/gan/checkpoint/fs";
import { modelFromCheckpoint, PRETRAINED_PATH, type PretrainedEvaluation, type PretrainedMetrics } from "../lib/gan/pretrained";
import { parseAssignment } from "../lib/runner/kernel/config";
import { Kernel } from "../lib/runner/kernel/kernel";
import { TerminalView } from "../lib/runner/cli/terminal";
import { notebookTitle, parseNotebook } from "../lib/runner/notebook";
import type { JsonValue, KernelEvent, RunEndStatus } from "../lib/runner/protocol";
import type { MetricColumns, RunStart, SampleUpload, StoredCheckpoint, TrackerSink } from "../lib/runner/tracking/sink";

export interface NotebookTrainOptions {
  /** The example notebook. */
  file: string;
  /** `--set` values for its config(). */
  overrides: Record<string, JsonValue>;
  write: (text: string) => void;
  /** Redraw progress bars in place (a terminal). */
  live?: boolean;
  /** Folder for the samples the notebook shows. */
  samplesDir?: string;
  /** A tracker to record the run into as well (`zoetrope run --db`); default: none. */
  tracker?: TrackerSink;
  /** Called with the kernel once it exists (to interrupt it). */
  onKernel?: (kernel: Kernel) => void;
}

export interface NotebookTraining {
  /** The training cell's last checkpoint, as the kernel saved it (float32). */
  checkpoint: tf.io.ModelArtifacts;
  hparams: Record<string, JsonValue>;
  trainSeconds: number;
  wallSeconds: number;
  msPerStep: number | null;
  interrupted: boolean;
}

/**
 * A tracker that keeps the last checkpoint it is given (and forwards everything to a real tracker when there is
 * one). Without one, metrics and samples go nowhere but the terminal.
 */
class CheckpointCapture implements TrackerSink {
  last: tf.io.ModelArtifacts | undefined;
  private saved = 0;
  readonly where: string;

  constructor(private readonly inner?: TrackerSink) {
    this.where = inner?.where ?? "memory";
  }

  ensureExperiment(title: string, notebook: string): Promise<string> {
    return this.inner?.ensureExperiment(title, notebook) ?? Promise.resolve("pretrain");
  }
  createRun(start: RunStart): Promise<{ id: string; name: string }> {
    return this.inner?.createRun(start) ?? Promise.resolve({ id: "pretrain", name: "pretrain" });
  }
  async setHparams(runId: string, hparams: Record<string, JsonValue>, seed?: number): Promise<void> {
    await this.inner?.setHparams(runId, hparams, seed);
  }
  async postMetrics(runId: string, batch: number, series: MetricColumns): Promise<void> {
    await this.inner?.postMetrics(runId, batch, series);
  }
  postSample(runId: string, sample: SampleUpload): Promise<{ id: string; url: string }> {
    return this.inner?.postSample(runId, sample) ?? Promise.resolve({ id: "", url: "" });
  }
  async saveCheckpoint(runId: string, artifacts: tf.io.ModelArtifacts): Promise<StoredCheckpoint> {
    this.last = artifacts;
    const step = checkpointMeta(artifacts).step;
    return (await this.inner?.saveCheckpoint(runId, artifacts)) ?? { id: `checkpoint-${++this.saved}`, step };
  }
  checkpointLoader(runId: string, checkpointId: string): tf.io.IOHandler {
    if (this.inner) return this.inner.checkpointLoader(runId, checkpointId);
    if (!this.last) throw new Error("no checkpoint saved yet");
    return tf.io.fromMemory(this.last);
  }
  async latestCheckpoint(runId: string): Promise<StoredCheckpoint | undefined> {
    if (this.inner) return this.inner.latestCheckpoint(runId);
    return this.last && { id: `checkpoint-${this.saved}`, step: checkpointMeta(this.last).step };
  }
  async heartbeat(runId: string): Promise<void> {
    await this.inner?.heartbeat(runId);
  }
  async endRun(runId: string, status: RunEndStatus, error?: string): Promise<void> {
    await this.inner?.endRun(runId, status, error);
  }
}

/** `gan` as the training notebook sees it: a checkpoint to ship must come from fresh weights, not from another one. */
const ganForTraining = {
  ...gan,
  pretrained: () => {
    throw new Error(
      "the notebook called gan.pretrained() before its training ended: a trained checkpoint must be trained from " +
        "fresh weights (turn that cell's option off with --set)",
    );
  },
};

/**
 * Runs the notebook's code cells in order on the current backend, up to and including the first cell that saves a
 * checkpoint (the one that trains), and returns that cell's last checkpoint. Throws when a cell fails or no cell
 * saves one. The notebook's tensors stay alive: this is meant for a process of its own.
 */
export async function trainNotebook(opts: NotebookTrainOptions): Promise<NotebookTraining> {
  const text = await readFile(opts.file, "utf8");
  const cells = parseNotebook(text).cells.filter((c) => c.kind === "code");
  const label = (id: string) => {
    const n = cells.findIndex((c) => c.id === id);
    return `cell ${n + 1}/${cells.length}${cells[n]?.title ? ` «${cells[n].title}»` : ""}`;
  };
  const view = new TerminalView({ write: opts.write, live: opts.live ?? false, outDir: opts.samplesDir, cellLabel: label });
  const sink = new CheckpointCapture(opts.tracker);
  let hparams: Record<string, JsonValue> = {};
  const savedIn = new Set<string>();
  const stepMs: number[] = [];
  const elapsedMs = new Map<string, number>();
  const emit = (event: KernelEvent) => {
    view.handle(event);
    if (event.op === "config") hparams = event.hparams;
    if (event.op === "checkpoint") savedIn.add(event.cellId);
    if (event.op === "cell-finished") elapsedMs.set(event.cellId, event.elapsedMs);
    if (event.op === "metric") for (const p of event.points) if (p.key === "step_ms") stepMs.push(p.value);
  };

  const backend = tf.getBackend();
  emit({ op: "kernel-info", backend: backend as BackendName });
  const kernel = new Kernel({ emit, globals: { tf, gan: ganForTraining }, sink, backend: { backend, device: { runtime: `node ${process.version}` } } });
  opts.onKernel?.(kernel);
  kernel.setOverrides(opts.overrides);
  const started = performance.now();
  const experimentId = await sink.ensureExperiment(notebookTitle(text, path.basename(opts.file, ".ts")), text);
  await kernel.startRun({ experimentId, code: text, name: `pretrain-${path.basename(opts.file, ".ts")}` });

  let trainCell: string | undefined;
  let interrupted = false;
  let failure: string | undefined;
  for (const cell of cells) {
    const result = await kernel.runCell(cell.id, cell.source);
    if (result.outcome === "error" || result.outcome === "skipped") {
      failure = `${label(cell.id)} failed: ${result.error ? `${result.error.name}: ${result.error.message}` : result.outcome}`;
      break;
    }
    interrupted = result.outcome === "interrupted";
    if (savedIn.has(cell.id) || interrupted) {
      trainCell = cell.id;
      break;
    }
  }
  const wallSeconds = (performance.now() - started) / 1000;
  await kernel.endRun(failure ? "failed" : interrupted ? "interrupted" : "finished", failure);
  await kernel.dispose();
  if (failure) throw new Error(failure);
  if (!sink.last || !trainCell) {
    throw new Error(`${opts.file}: no cell saved a checkpoint (does its fit() run with checkpointEvery set to 0?)`);
  }
  const unused = kernel.unusedOverrides();
  if (unused.length) opts.write(`! no config() key named ${unused.join(", ")} in ${opts.file}\n`);
  return {
    checkpoint: sink.last,
    hparams,
    trainSeconds: (elapsedMs.get(trainCell) ?? 0) / 1000,
    wallSeconds,
    msPerStep: stepMs.length ? stepMs.reduce((a, b) => a + b, 0) / stepMs.length : null,
    interrupted,
  };
}

/** The checkpoint as shipped: weights and EMA in float16; the Adam moments stay float32 (see below). */
export function pretrainedArtifacts(checkpoint: tf.io.ModelArtifacts): Promise<tf.io.ModelArtifacts> {
  // Adam's second moments are squared gradients, often below float16's smallest value (6e-8): flushed to zero, they
  // would make the first fine-tuning steps divide by Adam's epsilon alone. They are kept exact: at these widths both
  // moments of both networks come to about 1–2 MB.
  return quantizeFloat16(checkpoint, (name) => !name.startsWith("optim/"));
}

/** FVD-MM, FID-MM and digit confidence of a checkpoint's (EMA) generator; the networks load only here. */
export async function evaluateCheckpoint(artifacts: tf.io.ModelArtifacts, n: number, seed: number): Promise<PretrainedEvaluation> {
  const { model, state } = await modelFromCheckpoint(tf.io.fromMemory(artifacts), { weightsOnly: true });
  try {
    const m = await gan.evaluateVideoGan(model, { n, seed });
    return { n, seed, fvd_mm: m.fvd_mm, fid_mm: m.fid_mm, digit_conf: m.digit_conf, floor: m.floor, untrained: m.untrained, seconds: m.seconds };
  } finally {
    state.dispose();
    model.dispose();
  }
}

/** Writes model.json, weights.bin and metrics.json into `dir`, replacing what was there only once all are written. */
export async function writePretrained(dir: string, artifacts: tf.io.ModelArtifacts, metrics: PretrainedMetrics): Promise<void> {
  const tmp = `${dir.replace(/\/+$/, "")}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await fileCheckpoint(tmp).save!(artifacts);
  await writeFile(path.join(tmp, "metrics.json"), `${JSON.stringify(metrics, null, 2)}\n`);
  await mkdir(path.dirname(dir), { recursive: true });
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}

export interface PretrainOptions {
  kind: gan.ModelKind;
  /** Default experiments/<kind>.ts. */
  notebook?: string;
  /** Default lib/gan/pretrained/<kind>. */
  out?: string;
  /** Training budget in minutes, and/or in steps in all (the notebook's own when absent). */
  minutes?: number;
  steps?: number;
  /** More `--set` values; these win over minutes and steps. */
  overrides?: Record<string, JsonValue>;
  /** Clips per set for the evaluation (0: none), and its seed. */
  n?: number;
  evalSeed?: number;
  write?: (text: string) => void;
  live?: boolean;
  samplesDir?: string;
  tracker?: TrackerSink;
  onKernel?: (kernel: Kernel) => void;
}

/** Trains from the notebook, evaluates the stored weights and writes the folder; returns metrics.json and the
 * training's own (float32) checkpoint. */
export async function pretrain(opts: PretrainOptions): Promise<{ metrics: PretrainedMetrics; checkpoint: tf.io.ModelArtifacts }> {
  const write = opts.write ?? ((t: string) => void process.stdout.write(t));
  const notebook = opts.notebook ?? path.join("experiments", `${opts.kind}.ts`);
  const out = opts.out ?? path.join(PRETRAINED_PATH, opts.kind);
  const budget: Record<string, JsonValue> = {};
  if (opts.minutes !== undefined) budget.minutes = opts.minutes;
  if (opts.steps !== undefined) budget.steps = opts.steps;
  const overrides = { evaluateN: 0, ...budget, ...opts.overrides };
  write(`training ${opts.kind} from ${notebook} (${Object.entries(overrides).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}) on ${tf.getBackend()}\n`);
  const run = await trainNotebook({ file: notebook, overrides, write, live: opts.live, samplesDir: opts.samplesDir, tracker: opts.tracker, onKernel: opts.onKernel });
  const meta = checkpointMeta(run.checkpoint);
  if (meta.kind !== opts.kind) throw new Error(`${notebook} trained a ${meta.kind} model, not ${opts.kind}`);
  const artifacts = await pretrainedArtifacts(run.checkpoint);
  const n = opts.n ?? 512;
  const evalSeed = opts.evalSeed ?? 0;
  if (n > 0) write(`\nscoring the stored weights: FVD-MM and FID-MM at n = ${n}, seed ${evalSeed}…\n`);
  const evaluation = n > 0 ? await evaluateCheckpoint(artifacts, n, evalSeed) : null;
  const specs = artifacts.weightSpecs ?? [];
  const half = specs.filter((s) => s.quantization?.dtype === "float16").length;
  const cpu = cpus();
  const metrics: PretrainedMetrics = {
    kind: opts.kind,
    notebook: path.relative(process.cwd(), path.resolve(notebook)),
    overrides,
    hparams: run.hparams,
    config: meta.config,
    seed: Number.isInteger(run.hparams.seed) ? (run.hparams.seed as number) : null,
    steps: meta.step,
    trainSeconds: round(run.trainSeconds, 1),
    wallSeconds: round(run.wallSeconds, 1),
    msPerStep: run.msPerStep === null ? null : round(run.msPerStep, 1),
    stoppedBy: run.interrupted ? "interrupt" : "budget",
    backend: tf.getBackend(),
    hardware: `${cpu[0]?.model.trim() ?? "unknown CPU"} × ${cpu.length}`,
    runtime: `node ${process.version}`,
    evaluation,
    weights: { bytes: tf.io.CompositeArrayBuffer.join(artifacts.weightData!).byteLength, float16: half, float32: specs.length - half },
    createdAt: new Date().toISOString(),
  };
  await writePretrained(out, artifacts, metrics);
  const bytes = (await stat(path.join(out, "weights.bin"))).size;
  const score = evaluation ? `; FVD-MM ${evaluation.fvd_mm.toFixed(1)}, FID-MM ${evaluation.fid_mm.toFixed(1)} at n = ${n} (floor ${evaluation.floor.fvd_mm.toFixed(1)})` : "";
  write(`\n${opts.kind}: ${meta.step} steps in ${run.trainSeconds.toFixed(0)} s${score}\nwrote ${out}/ (weights ${(bytes / 1024).toFixed(0)} KiB)\n`);
  return { metrics, checkpoint: run.checkpoint };
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

const USAGE = `usage: npx tsx scripts/train-pretrained.ts --model <${gan.modelKinds.join("|")}> [--minutes 60] [--steps N]
  [--backend native|wasm|cpu|webgpu] [--notebook experiments/<model>.ts] [--out lib/gan/pretrained/<model>]
  [--set key=value …] [--n 512] [--eval-seed 0] [--samples DIR] [--db FILE]`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      model: { type: "string" },
      minutes: { type: "string", default: "60" },
      steps: { type: "string" },
      backend: { type: "string" },
      notebook: { type: "string" },
      out: { type: "string" },
      set: { type: "string", multiple: true, default: [] },
      n: { type: "string", default: "512" },
      "eval-seed": { type: "string", default: "0" },
      samples: { type: "string" },
      db: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const kind = values.model ?? "";
  const number = (name: string, raw: string | undefined, min: number) => {
    const v = raw === undefined ? undefined : Number(raw);
    if (v !== undefined && !(Number.isFinite(v) && v >= min)) throw new Error(`--${name} must be a number ≥ ${min}, got ${raw}\n${USAGE}`);
    return v;
  };
  if (!gan.isModelKind(kind)) throw new Error(`--model must be one of ${gan.modelKinds.join(", ")}\n${USAGE}`);
  const minutes = number("minutes", values.minutes, 0);
  const steps = number("steps", values.steps, 0);
  const n = number("n", values.n, 0)!;
  if (n === 1 || !Number.isInteger(n)) throw new Error(`--n must be 0 (no evaluation) or an integer ≥ 2`);

  tf.env().set("PROD", true);
  const info = await gan.initBackend(values.backend as BackendName | undefined);
  if (info.fallbackReason) console.log(`backend ${info.backend} (${info.fallbackReason})`);
  const tracker = values.db ? await (await import("../lib/runner/cli/tracker")).openTracker({ db: values.db }) : undefined;
  let kernel: Kernel | undefined;
  let interrupts = 0;
  process.on("SIGINT", () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write("\nending the training at the next step, then saving… (Ctrl-C again to quit now)\n");
    kernel?.interrupt();
  });
  await pretrain({
    kind,
    notebook: values.notebook,
    out: values.out,
    minutes: minutes || undefined,
    steps: steps || undefined,
    overrides: Object.fromEntries(values.set.map(parseAssignment)),
    n,
    evalSeed: number("eval-seed", values["eval-seed"], 0),
    live: process.stdout.isTTY === true,
    samplesDir: values.samples,
    tracker,
    onKernel: (k) => (kernel = k),
  });
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then(
    (code) => process.exit(code), // the kernel's and tracker's timers would keep the process alive
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
