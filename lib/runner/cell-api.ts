// The names every cell sees besides `tf` and `gan`: their types, documented for the editor's hover and for the
// example notebooks' type check (cell-globals.d.ts declares them as globals). kernel/cell-context.ts implements them.
import type { CheckpointMeta, FitOptions, FitResult, TrainState, VideoDataset, VideoGan, VideoMetrics } from "../gan";

/** A value `config` accepts: what survives a JSON round trip, so the tracker records exactly what ran. */
export type ConfigValue = string | number | boolean | null | ConfigValue[] | { [key: string]: ConfigValue };

export interface ShowOptions {
  /** Frames per second of a video. Default 8. */
  fps?: number;
  /** "tensor": a summary and the values, even for a tensor shaped like a video. */
  as?: "video" | "tensor";
}

export interface Show {
  /**
   * Shows a value under the cell: a video tensor ([T,H,W,C] or [B,T,H,W,C], C 1 or 3, values in [-1, 1]) as a
   * looping video, any other tensor or numeric array as a summary with its values, an array of records as a table,
   * a Plotly figure ({data, layout?}) as a chart, a string as text, anything else as JSON.
   */
  (value: unknown, options?: ShowOptions): Promise<void>;
  /** Markdown text. */
  md(text: string): void;
}

export interface ProgressBar {
  /** Sets how many steps are done. */
  update(done: number): void;
  /** Adds `n` (default 1) steps. */
  tick(n?: number): void;
  /** Marks the bar complete. */
  finish(): void;
}

export interface ProgressFn {
  /** A bar of `total` steps (rate and time left are shown) to move with update/tick. */
  (total: number, label?: string): ProgressBar;
  /** Iterates `items`, moving a bar as it goes: `for (const x of progress(xs))`. */
  <T>(items: Iterable<T>, label?: string): Iterable<T>;
}

export interface CheckpointInfo {
  id: string;
  runId: string;
  step: number;
}

/** fit()'s options in a cell: gan.fit's, with the hooks wired to the cell (log, progress, sample, checkpoint). */
export interface FitCellOptions extends Omit<FitOptions, "onStep" | "onSample" | "onCheckpoint" | "onEvaluate" | "onProgress"> {
  /** Name the samples are recorded under; default "samples". */
  sampleName?: string;
}

export interface CellApi {
  /**
   * The hyperparameters: `defaults` with the overrides of this run (`--set key=value`, a rerun with changed values)
   * applied, type-checked against each default, and recorded on the run. Dotted keys reach nested values.
   * A literal widens as usual (`model: "vgan"` is a string); `"vgan" as (typeof gan.modelKinds)[number]` keeps
   * the narrower type.
   */
  config<T extends Record<string, ConfigValue>>(defaults: T): T;
  /**
   * Records metrics at `step` (default: one more than the last step logged). Values must be numbers (NaN is kept:
   * a diverged loss shows as a gap), booleans or one-element tensors (read without blocking, before the cell ends);
   * undefined values are skipped.
   */
  log(metrics: Record<string, number | boolean | undefined>, step?: number): void;
  show: Show;
  progress: ProgressFn;
  /** Records a video ([T,H,W,C] or [B,T,H,W,C]) with the run at `step`, as a GIF. The caller keeps the tensor. */
  sample(name: string, video: unknown, step: number, options?: { fps?: number }): Promise<void>;
  /** Saves the model, its optimisers, EMA and step to the run. */
  checkpoint(model: VideoGan, state: TrainState, extra?: Record<string, unknown>): Promise<CheckpointInfo>;
  /**
   * Loads the latest checkpoint of `runId` (default: this run) into `model`, returning the state that continues
   * training where it stopped.
   */
  restore(model: VideoGan, runId?: string): Promise<{ state: TrainState; meta: CheckpointMeta }>;
  /**
   * Measures the model against Moving MNIST: FVD-MM (clip embeddings), FID-MM (frame embeddings) and digit confidence,
   * with n clips per set (default 512), beside a second real set's figures (`floor`) and the untrained model's. Logs
   * fvd_mm, fid_mm and digit_conf at `step` (default: the last step logged) and returns everything.
   */
  evaluate(model: VideoGan, options?: { n?: number; seed?: number; step?: number; untrained?: boolean }): Promise<VideoMetrics>;
  /**
   * Trains `model` on `data` for `steps` in all and/or `minutes` of training: a progress bar, every step's metrics
   * logged, samples from a fixed latent every `sampleEvery` steps and at the end, a checkpoint every
   * `checkpointEvery` steps and at the end (when the run is recorded), FVD-MM (n = `evaluateN`, default 128) every
   * `evaluateEvery` steps or `evaluateEveryMinutes` and at the end, logged as fvd_mm, fid_mm, digit_conf and
   * train_minutes (the training time it was taken at). Stops at an interrupt. Continues `state`, or the state an
   * earlier fit (or restore) left on the model.
   */
  fit(model: VideoGan, data: Pick<VideoDataset, "nextBatch" | "reset">, options: FitCellOptions): Promise<FitResult>;
  /** Fires when the user interrupts the cell; pass it to gan.train and check it in long loops. */
  signal: AbortSignal;
}
