// The cell API of one cell run (cell-api.ts has the documented types). Each run gets its own functions, so output
// from a callback that outlives its cell (a training loop's onStep) still lands under the cell that started it.
import * as tf from "@tensorflow/tfjs-core";
import { checkpointArtifacts, loadCheckpoint } from "../../gan/checkpoint";
import { attachTrainState, fit as fitModel } from "../../gan/fit";
import { evaluateVideoGan } from "../../gan/metrics/evaluate";
import { videoToGif } from "../../gan/video";
import type { CellApi, CheckpointInfo, ConfigValue, ProgressBar, ProgressFn, Show } from "../cell-api";
import { display, formatValue, markdown, MIME, type Displayed } from "../display";
import { errorOutput, type CellOutput, type KernelEvent, type MetricPoint, type OutputChannel, type Progress } from "../protocol";
import { isPlainKey } from "../../tracker/schemas";
import { iterateWithProgress, lengthOf, ProgressState } from "./progress";
import type { RunSession } from "../tracking/session";

/** What a cell run needs from its kernel. */
export interface KernelServices {
  emit(event: KernelEvent): void;
  now(): number;
  config<T extends Record<string, ConfigValue>>(defaults: T): T;
  log(points: MetricPoint[]): void;
  /** The step a `log` without one records at: one more than the last step logged. */
  nextStep(): number;
  session(): RunSession | undefined;
}

export interface CellContext {
  api: CellApi & { console: Pick<Console, "log" | "info" | "debug" | "warn" | "error"> };
  /** Sends the last state of every progress bar (when the cell ends). */
  flushProgress(): void;
  /** Waits for the outputs the cell started but did not await (a `show` whose value was still encoding). */
  settle(): Promise<void>;
}

export function createCellContext(kernel: KernelServices, cellId: string, exec: number, signal: AbortSignal): CellContext {
  const bars: ProgressState[] = [];
  const pending = new Set<Promise<unknown>>();
  const output = (channel: OutputChannel, shown: Displayed) => {
    const out: CellOutput = { channel, mime: shown.mime, data: shown.data, time: kernel.now() };
    kernel.emit({ op: "output", cellId, exec, output: out });
  };
  const track = (p: Promise<void>): Promise<void> => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
    return p;
  };

  // A value that cannot be shown (or a logged tensor that cannot be read) is an error output, not an exception: the
  // cell goes on, and a `show` nobody awaited cannot become an unhandled rejection.
  const failedOutput = (api: string) => (e: unknown) => {
    const error = e instanceof Error ? { name: e.name, message: `${api}: ${e.message}` } : { name: "Error", message: String(e) };
    kernel.emit({ op: "output", cellId, exec, output: errorOutput(error, kernel.now()) });
  };
  const showFailed = failedOutput("show");
  const show = ((value: unknown, options?: Parameters<Show>[1]) =>
    track(display(value, options).then((shown) => output("display", shown), showFailed))) as Show;
  show.md = (text: string) => output("display", markdown(text));

  const progress = ((totalOrItems: number | Iterable<unknown>, label?: string) => {
    const id = `${exec}.${bars.length + 1}`;
    const send = (p: Progress) => kernel.emit({ op: "progress", cellId, exec, progress: p });
    if (typeof totalOrItems === "number") {
      const bar = new ProgressState(id, totalOrItems, label, send);
      bars.push(bar);
      return bar;
    }
    const bar = new ProgressState(id, lengthOf(totalOrItems), label, send);
    bars.push(bar);
    return iterateWithProgress(totalOrItems, bar);
  }) as ProgressFn;

  const log: CellApi["log"] = (metrics, step) => {
    const at = step ?? kernel.nextStep();
    if (!(Number.isSafeInteger(at) && at >= 0)) throw new RangeError(`log: step must be an integer ≥ 0, got ${step}`);
    const time = Date.now();
    const points: MetricPoint[] = [];
    const reads: Array<{ point: MetricPoint; tensor: tf.Tensor }> = [];
    for (const [key, raw] of Object.entries(metrics as Record<string, unknown>)) {
      if (raw === undefined) continue;
      if (!(key.length <= 200 && isPlainKey(key))) {
        throw new TypeError(`log: "${key}" is not a usable metric name (at most 200 characters, no commas or control characters)`);
      }
      if (raw instanceof tf.Tensor) {
        if (raw.size !== 1) throw new TypeError(`log: ${key} must be a number or a one-element tensor, got shape [${raw.shape}]`);
        points.push({ key, step: at, value: NaN, time });
        reads.push({ point: points[points.length - 1], tensor: tf.keep(tf.clone(raw)) }); // the cell may dispose raw now
        continue;
      }
      const value = typeof raw === "boolean" ? Number(raw) : raw;
      if (typeof value !== "number") throw new TypeError(`log: ${key} must be a number, got ${typeof raw === "string" ? JSON.stringify(raw) : formatValue(raw)}`);
      points.push({ key, step: at, value, time });
    }
    if (reads.length === 0) {
      kernel.log(points);
      return;
    }
    // Tensors are read without blocking (webgpu in Node cannot read synchronously at all); the cell ends once they are.
    void track(Promise.all(reads.map(async ({ point, tensor }) => {
      try {
        point.value = (await tensor.data())[0];
      } finally {
        tensor.dispose();
      }
    })).then(() => kernel.log(points), failedOutput("log")));
  };

  const sample: CellApi["sample"] = async (name, video, step, options = {}) => {
    if (!(video instanceof tf.Tensor) || (video.rank !== 4 && video.rank !== 5)) {
      throw new TypeError(`sample: expected a video tensor [T,H,W,C] or [B,T,H,W,C], got ${formatValue(video)}`);
    }
    const fps = options.fps ?? 8;
    const data = await videoToGif(video as tf.Tensor4D | tf.Tensor5D, { delayMs: Math.round(1000 / fps) });
    const time = kernel.now();
    kernel.emit({ op: "sample", cellId, exec, key: name, step, mime: MIME.gif, data, time });
    // Not awaited: the upload is queued in order behind the metrics and retried; training need not wait for it.
    // Size and frame count are left to the tracker, which reads them from the GIF's header (lib/tracker/media.ts).
    void kernel.session()?.sample({ name, step, mime: MIME.gif, data, fps }).catch(() => {});
  };

  const tracked = (what: string): RunSession => {
    const session = kernel.session();
    if (!session) throw new Error(`${what}: this kernel is not recording a run (start one with "Run all", or use the CLI)`);
    return session;
  };

  const checkpoint: CellApi["checkpoint"] = async (model, state, extra) => {
    const session = tracked("checkpoint");
    const stored = await session.sink.saveCheckpoint(session.runId, await checkpointArtifacts(model, state, extra));
    kernel.emit({ op: "checkpoint", cellId, exec, runId: session.runId, id: stored.id, step: stored.step });
    return { ...stored, runId: session.runId } satisfies CheckpointInfo;
  };

  const restore: CellApi["restore"] = async (model, runId) => {
    const session = tracked("restore");
    const from = runId ?? session.runId;
    const latest = await session.sink.latestCheckpoint(from);
    if (!latest) throw new Error(`restore: run ${from} has no checkpoint`);
    const loaded = await loadCheckpoint(session.sink.checkpointLoader(from, latest.id), model);
    attachTrainState(model, loaded.state); // a later fit() continues from it
    return loaded;
  };

  const evaluate: CellApi["evaluate"] = async (model, options = {}) => {
    const { step, ...rest } = options;
    const at = step ?? Math.max(0, kernel.nextStep() - 1); // the step the training logged last
    const metrics = await evaluateVideoGan(model, rest);
    log({ fvd_mm: metrics.fvd_mm, fid_mm: metrics.fid_mm, digit_conf: metrics.digit_conf }, at);
    return metrics;
  };

  const fit: CellApi["fit"] = async (model, data, options) => {
    const { sampleName = "samples", ...opts } = options;
    let bar: ProgressBar | undefined;
    const result = await fitModel(model, data, {
      ...opts,
      signal: opts.signal ?? signal,
      onProgress: (done, total, unit) => {
        bar ??= progress(Math.round(total), unit === "steps" ? "training" : "training (seconds)");
        bar.update(Math.round(done));
      },
      onStep: ({ step, ...metrics }) => log(metrics, step),
      onSample: opts.sampleEvery ? (step, video) => sample(sampleName, video, step) : undefined,
      onCheckpoint: kernel.session() ? async (m, state) => void (await checkpoint(m, state)) : undefined,
      // train_minutes: the training time the figures were taken at, for charts of quality against time.
      onEvaluate: (step, m, at) => log({ fvd_mm: m.fvd_mm, fid_mm: m.fid_mm, digit_conf: m.digit_conf, train_minutes: at.trainSeconds / 60 }, step),
    });
    if (result.stoppedBy !== "signal") bar?.finish();
    const perStep = result.stepsRun > 0 ? `, ${((1000 * result.trainSeconds) / result.stepsRun).toFixed(0)} ms per step` : "";
    const fvd = result.evaluation ? `; FVD-MM ${result.evaluation.metrics.fvd_mm.toFixed(1)} at step ${result.evaluation.step} (n = ${opts.evaluateN ?? 128})` : "";
    const how = { steps: "Trained", minutes: "Time budget spent", signal: "Interrupted" }[result.stoppedBy];
    show.md(`${how} at step ${result.step}: ${result.stepsRun} steps in ${result.trainSeconds.toFixed(1)} s${perStep}${fvd}.`);
    return result;
  };

  const text = (channel: OutputChannel) => (...args: unknown[]) =>
    output(channel, { mime: MIME.text, data: args.map((a) => (typeof a === "string" ? a : formatValue(a))).join(" ") + "\n" });
  const console = { log: text("stdout"), info: text("stdout"), debug: text("stdout"), warn: text("stderr"), error: text("stderr") };

  const config = <T extends Record<string, ConfigValue>>(defaults: T) => kernel.config(defaults);
  return {
    api: { config, log, show, progress, sample, checkpoint, restore, evaluate, fit, signal, console },
    flushProgress: () => bars.forEach((b) => b.flush()),
    settle: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

