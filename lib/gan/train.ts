// The training loop: per step, nCritic discriminator updates then one generator update, with metrics after each
// step, fixed-latent samples every N steps, cooperative interruption and resumption from a TrainState.
// Everything random in step k derives from (opts.seed, k), so the same seed on the same backend gives the same
// losses, and a run resumed from a checkpoint at step k continues exactly as the uninterrupted run would.
import * as tf from "@tensorflow/tfjs-core";
import type { VideoDataset } from "./data/types";
import { evaluateVideoGan, type VideoMetrics } from "./metrics/evaluate";
import { generateFrom } from "./sample";
import { stepSeed } from "./train/seeds";
import { createTrainState, type TrainState, type TrainStateOptions } from "./train/state";
import { discriminatorUpdate, generatorUpdate, readMonitors, type Monitors, type StepContext } from "./train/step";
import { yieldToEventLoop } from "./train/yield";
import type { Latent, Video, VideoGan } from "./types";

export { createTrainState, type TrainState, type TrainStateOptions } from "./train/state";
export type { AdamSettings } from "./types";

/** What onStep receives after every completed step. Model extras appear as d_<name> / g_<name>. */
export interface StepMetrics {
  step: number; // steps completed, counting this one (1 after the first step)
  loss_d: number; // of the last critic iteration
  loss_g: number;
  d_real?: number; // mean D output on the real batch, when the model reports it
  d_fake?: number;
  grad_norm_d: number; // global L2 norm of D's gradient (last critic iteration)
  grad_norm_g: number;
  step_ms: number; // wall time of the whole step, including the metric read-back
  [extra: string]: number | undefined;
}

export interface TrainOptions extends TrainStateOptions {
  /** Train until this many steps are completed in total (a resumed state at step 10 with steps 20 runs 10 more). */
  steps: number;
  batchSize: number;
  seed: number;
  /**
   * Optimisers, EMA and step counter to continue from (e.g. from loadCheckpoint); its settings win over the Adam,
   * nCritic and ema options, which only shape a state created here when this is absent.
   */
  state?: TrainState;
  /** Re-seed the dataset from (seed, step) before each batch when it supports reset(); default true. */
  reseedData?: boolean;
  /** Emit a sample batch every this many steps (and at step 0 when starting fresh). 0 or absent: never. */
  sampleEvery?: number;
  sampleSize?: number; // videos per sample batch; default 8
  sampleSeed?: number; // seed of the fixed sample latent; default derived from seed
  sampleFrames?: number; // frames per sample (MoCoGAN can go past its trained length)
  onStep?: (metrics: StepMetrics) => void | Promise<void>;
  /** Receives a [n, T, H, W, C] batch from the same latent every time. The callback owns it and must dispose it. */
  onSample?: (step: number, video: Video) => void | Promise<void>;
  /**
   * Measure FVD-MM, FID-MM and digit confidence (lib/gan/metrics) every this many steps: they join that step's
   * metrics as fvd_mm, fid_mm and digit_conf (so a notebook that logs onStep's metrics charts them). 0 or absent: never.
   */
  evaluateEvery?: number;
  /** Clips per set for those evaluations; default 512. Same n, same seed: figures comparable across steps and runs. */
  evaluateN?: number;
  /** Receives each evaluation in full (floor included) before onStep sees the step. */
  onEvaluate?: (step: number, metrics: VideoMetrics) => void | Promise<void>;
  /** Stops the loop at the next check: before each step, between critic iterations and before the G update. */
  signal?: AbortSignal;
}

export interface TrainResult {
  /** The state to save or continue from; the caller owns it (dispose() when done). */
  state: TrainState;
  /** Steps completed in total (state.step). */
  step: number;
  aborted: boolean;
  /**
   * True when the abort landed inside a step, after some discriminator updates but before the generator update:
   * D (and its Adam) are then ahead of `step`. Save checkpoints from steps that ended cleanly.
   */
  partialStep: boolean;
}

export async function train(model: VideoGan, data: Pick<VideoDataset, "nextBatch" | "reset">, opts: TrainOptions): Promise<TrainResult> {
  if (!(Number.isInteger(opts.batchSize) && opts.batchSize >= 1)) throw new Error(`batchSize must be a positive integer`);
  const owned = !opts.state; // a state made here is the caller's on success, ours to free on failure
  const state = opts.state ?? createTrainState(model, opts);
  const ctx: StepContext = { model, data, state, batchSize: opts.batchSize, seed: opts.seed, reseedData: opts.reseedData ?? true };
  const sampler = opts.onSample && opts.sampleEvery ? fixedSampler(model, opts) : undefined;
  const aborted = () => opts.signal?.aborted === true;
  let partialStep = false;
  try {
    if (sampler && state.step === 0) await sampler(0);
    while (state.step < opts.steps) {
      await yieldToEventLoop(); // lets a worker's interrupt message reach the AbortSignal
      if (aborted()) break;
      const started = performance.now();
      const monitors = await runStep(ctx, aborted);
      if (!monitors) {
        partialStep = true;
        break;
      }
      const values = await readMonitors(monitors);
      state.step += 1;
      const metrics = { step: state.step, ...values, step_ms: performance.now() - started } as StepMetrics;
      if (opts.evaluateEvery && state.step % opts.evaluateEvery === 0) {
        // Fixed seed: every evaluation of the run draws the same latents and real clips.
        const video = await evaluateVideoGan(model, { n: opts.evaluateN ?? 512, seed: opts.seed, untrained: false });
        Object.assign(metrics, { fvd_mm: video.fvd_mm, fid_mm: video.fid_mm, digit_conf: video.digit_conf });
        await opts.onEvaluate?.(state.step, video);
      }
      await opts.onStep?.(metrics);
      if (sampler && state.step % opts.sampleEvery! === 0) await sampler(state.step);
    }
  } catch (err) {
    if (owned) state.dispose();
    throw err;
  } finally {
    sampler?.dispose();
  }
  return { state, step: state.step, aborted: aborted(), partialStep };
}

/** The updates of one step, or undefined if aborted between them (nothing is left allocated then). */
async function runStep(ctx: StepContext, aborted: () => boolean): Promise<Monitors | undefined> {
  let monitors: Monitors = {};
  for (let critic = 0; critic < ctx.state.settings.nCritic; critic++) {
    if (critic > 0) {
      await yieldToEventLoop();
      if (aborted()) return discard(monitors);
    }
    tf.dispose(Object.values(monitors)); // only the last critic iteration is reported
    monitors = await discriminatorUpdate(ctx, critic);
  }
  await yieldToEventLoop();
  if (aborted()) return discard(monitors);
  return { ...monitors, ...generatorUpdate(ctx) };
}

function discard(monitors: Monitors): undefined {
  tf.dispose(Object.values(monitors));
  return undefined;
}

/** Samples from one latent drawn at the start of training, so successive samples show the same videos evolving. */
function fixedSampler(model: VideoGan, opts: TrainOptions) {
  const latent: Latent = model.sampleLatent(opts.sampleSize ?? 8, opts.sampleSeed ?? stepSeed(opts.seed, 0, { kind: "sample" }));
  const emit = async (step: number) => {
    const video = generateFrom(model, latent, { frames: opts.sampleFrames });
    await opts.onSample!(step, video);
  };
  return Object.assign(emit, { dispose: () => tf.dispose(Object.values(latent)) });
}
