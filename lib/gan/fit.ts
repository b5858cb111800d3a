// fit(): the training loop a notebook or a script wants in one call. It runs gan.train for a number of steps or a
// wall-clock budget (or both: whichever ends first), reports every step, emits samples from a fixed latent, saves
// checkpoints every N steps and at the end, measures FVD-MM every so often, and stops cleanly on an AbortSignal.
// A state passed in (or the one an earlier fit() left on the model) is continued: calling fit again trains on.
// gan.train stays the tool for full control; fit only schedules around it.
import * as tf from "@tensorflow/tfjs-core";
import type { VideoDataset } from "./data/types";
import { evaluateVideoGan, type VideoMetrics } from "./metrics/evaluate";
import { generateFrom } from "./sample";
import { train, type StepMetrics, type TrainOptions, type TrainResult } from "./train";
import { stepSeed } from "./train/seeds";
import { LearningRateSchedule } from "./train/schedule";
import { createTrainState, type TrainState } from "./train/state";
import type { Video, VideoGan } from "./types";

export interface FitOptions extends Omit<TrainOptions, "steps" | "onStep" | "onSample" | "evaluateEvery" | "onEvaluate"> {
  /** Stop when this many steps are done in all (a continued state counts its earlier steps). */
  steps?: number;
  /**
   * Stop when this many minutes of training have passed in this call. Evaluations are measurement, not training:
   * their time is left out (FitResult.evaluationSeconds has it). With `steps` too, whichever comes first ends the fit.
   */
  minutes?: number;
  /** Save with onCheckpoint every this many steps and once at the end; absent: only at the end; 0: never. */
  checkpointEvery?: number;
  /** Measure FVD-MM every this many steps (0 or absent: never by steps). */
  evaluateEvery?: number;
  /** Measure FVD-MM every this many minutes of training (0 or absent: never by time). */
  evaluateEveryMinutes?: number;
  /** Measure once more after the last step; default true when either cadence above is set. */
  evaluateAtEnd?: boolean;
  /**
   * Both learning rates fall linearly to zero over this last share of the fit (of `minutes` or of `steps`, whichever
   * is nearer its end); 0 or absent: constant. A GAN's samples keep wandering while D and G chase each other at full
   * rate; annealing lets the last minutes settle instead of ending wherever the chase stood.
   */
  lrDecay?: number;
  /**
   * Train the model's image generator alone first, as an image GAN on single frames, for this share of the fit
   * (measured as for lrDecay; 0 or absent: never). Frames are 1/T of a clip's cost, so G sees many more digits per
   * minute before it has to learn motion. Only models with `setImageWarmup` (MoCoGAN) can.
   */
  imageWarmup?: number;
  /** Frames per clip G renders and D_I judges during the warm-up; default 4. */
  imageWarmupFrames?: number;
  /** Clips per set for those evaluations; default 128 (quick; 512 for figures to publish). */
  evaluateN?: number;
  /** Every completed step's metrics (evaluations go to onEvaluate). */
  onStep?: (metrics: StepMetrics) => void | Promise<void>;
  /** A sample batch from a fixed latent every `sampleEvery` steps (and at the start and end). fit frees the video. */
  onSample?: (step: number, video: Video) => void | Promise<void>;
  /** Saves a checkpoint; absent: no checkpoints. */
  onCheckpoint?: (model: VideoGan, state: TrainState) => void | Promise<void>;
  /** Each evaluation in full (fvd_mm, fid_mm, digit_conf and the floor), with the training time it was taken at. */
  onEvaluate?: (step: number, metrics: VideoMetrics, at: { trainSeconds: number }) => void | Promise<void>;
  /** How far the fit has got: `done` of `total` in `unit`s (steps, or seconds of a minutes budget). */
  onProgress?: (done: number, total: number, unit: "steps" | "seconds") => void;
}

export interface FitResult extends TrainResult {
  /** Steps this call ran. */
  stepsRun: number;
  /** Wall time of this call's training, evaluations left out. */
  trainSeconds: number;
  evaluationSeconds: number;
  /** Why it stopped: the step target, the minutes budget, or an interrupt. */
  stoppedBy: "steps" | "minutes" | "signal";
  /** The last FVD-MM evaluation, if any. */
  evaluation?: { step: number; metrics: VideoMetrics };
}

/** The state a previous fit() left with each model, so the next one continues it. */
const attached = new WeakMap<VideoGan, TrainState>();

/** Lets fit() continue `state` on `model` (restore() does this); fit itself attaches the state it trains. */
export function attachTrainState(model: VideoGan, state: TrainState): void {
  attached.set(model, state);
}

export function attachedTrainState(model: VideoGan): TrainState | undefined {
  return attached.get(model);
}

export async function fit(model: VideoGan, data: Pick<VideoDataset, "nextBatch" | "reset">, opts: FitOptions): Promise<FitResult> {
  const { minutes, checkpointEvery = 0, evaluateEvery = 0, evaluateEveryMinutes = 0, onProgress } = opts;
  if (opts.steps === undefined && minutes === undefined) throw new Error("fit: give `steps`, `minutes` or both");
  if (minutes !== undefined && !(minutes > 0)) throw new Error(`fit: minutes must be positive, got ${minutes}`);
  const state = opts.state ?? attached.get(model) ?? createTrainState(model, opts);
  attached.set(model, state);
  const startStep = state.step;
  const steps = opts.steps ?? Number.MAX_SAFE_INTEGER;
  const budgetMs = minutes === undefined ? Infinity : minutes * 60_000;
  const evaluateN = opts.evaluateN ?? 128;
  const evaluateAtEnd = opts.evaluateAtEnd ?? (evaluateEvery > 0 || evaluateEveryMinutes > 0);
  const lrDecay = opts.lrDecay ?? 0;
  if (!(lrDecay >= 0 && lrDecay <= 1)) throw new Error(`fit: lrDecay is a share of the fit, from 0 to 1; got ${lrDecay}`);
  const imageWarmup = opts.imageWarmup ?? 0;
  if (!(imageWarmup >= 0 && imageWarmup < 1)) throw new Error(`fit: imageWarmup is a share of the fit, from 0 to below 1; got ${imageWarmup}`);
  if (imageWarmup > 0 && !model.setImageWarmup) throw new Error(`fit: imageWarmup needs a model with an image generator of its own (MoCoGAN), not ${model.kind}`);

  // Our own controller: the caller's signal aborts it, and so does the end of the time budget (after a step,
  // so the loop stops cleanly before the next one).
  const stop = new AbortController();
  const forward = () => stop.abort();
  if (opts.signal?.aborted) stop.abort();
  opts.signal?.addEventListener("abort", forward);
  const started = performance.now();
  let evaluationMs = 0;
  const trainingMs = () => performance.now() - started - evaluationMs;
  let lastEvalAt = 0; // training ms at the last evaluation
  let savedAt = -1;
  let evaluation: FitResult["evaluation"];

  const evaluate = async (step: number): Promise<void> => {
    const t0 = performance.now();
    const trainSeconds = trainingMs() / 1000;
    const metrics = await evaluateVideoGan(model, { n: evaluateN, seed: opts.seed, untrained: false });
    evaluationMs += performance.now() - t0;
    lastEvalAt = trainingMs();
    evaluation = { step, metrics };
    await opts.onEvaluate?.(step, metrics, { trainSeconds });
  };
  const save = async () => {
    if (!opts.onCheckpoint || opts.checkpointEvery === 0 || savedAt === state.step) return;
    await opts.onCheckpoint(model, state);
    savedAt = state.step;
  };
  const progress = (step: number) => {
    if (!onProgress) return;
    if (opts.steps !== undefined) onProgress(step, steps, "steps");
    else onProgress(Math.min(budgetMs, trainingMs()) / 1000, budgetMs / 1000, "seconds");
  };

  // How far through the fit, 0 to 1: the nearer of its two ends (minutes and steps), as whichever comes first ends it.
  const progressShare = (step: number) =>
    Math.max(trainingMs() / budgetMs, opts.steps === undefined ? 0 : (step - startStep) / Math.max(1, steps - startStep));
  const schedule = new LearningRateSchedule(state, lrDecay);
  let warmingUp = imageWarmup > 0;
  if (warmingUp) model.setImageWarmup!(opts.imageWarmupFrames ?? 4);

  let result: TrainResult;
  try {
    progress(startStep);
    // fit schedules evaluations itself: train's own evaluateEvery and onEvaluate stay out.
    const { evaluateEvery: _e, onEvaluate: _o, evaluateN: _n, ...trainOpts } = opts;
    result = await train(model, data, {
      ...trainOpts,
      steps,
      state,
      signal: stop.signal,
      onSample: opts.onSample
        ? async (step, video) => {
            try {
              await opts.onSample!(step, video);
            } finally {
              video.dispose();
            }
          }
        : undefined,
      onStep: async (metrics) => {
        const step = metrics.step;
        const byTime = evaluateEveryMinutes > 0 && trainingMs() - lastEvalAt >= evaluateEveryMinutes * 60_000;
        const last = step >= steps || trainingMs() >= budgetMs;
        if ((evaluateEvery > 0 && step % evaluateEvery === 0) || (byTime && !(last && evaluateAtEnd))) {
          await evaluate(step);
        }
        await opts.onStep?.(metrics);
        progress(step);
        if (checkpointEvery > 0 && step % checkpointEvery === 0) await save();
        if (trainingMs() >= budgetMs) stop.abort();
        const share = progressShare(step);
        schedule.update(share);
        if (warmingUp && share >= imageWarmup) {
          model.setImageWarmup!(0);
          warmingUp = false;
        }
      },
    });
  } finally {
    schedule.restore();
    if (warmingUp) model.setImageWarmup!(0);
    opts.signal?.removeEventListener("abort", forward);
  }
  const interrupted = opts.signal?.aborted === true;
  const ran = result.step - startStep;
  if (ran > 0 && !result.partialStep) {
    if (evaluateAtEnd && evaluation?.step !== result.step) {
      await evaluate(result.step);
    }
    await save();
    if (opts.onSample && opts.sampleEvery && result.step % opts.sampleEvery !== 0) await emitLast(model, opts, result.step);
  }
  return {
    ...result,
    aborted: interrupted,
    stepsRun: ran,
    trainSeconds: trainingMs() / 1000,
    evaluationSeconds: evaluationMs / 1000,
    stoppedBy: interrupted ? "signal" : result.step >= steps ? "steps" : "minutes",
    evaluation,
  };
}

/** The closing sample, from the same fixed latent train() uses, when the last step was not a sampling step. */
async function emitLast(model: VideoGan, opts: FitOptions, step: number): Promise<void> {
  const latent = model.sampleLatent(opts.sampleSize ?? 8, opts.sampleSeed ?? stepSeed(opts.seed, 0, { kind: "sample" }));
  const video = generateFrom(model, latent, { frames: opts.sampleFrames });
  tf.dispose(Object.values(latent));
  try {
    await opts.onSample!(step, video);
  } finally {
    video.dispose();
  }
}
