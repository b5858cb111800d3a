// Where a notebook's runs are recorded: the tracker's HTTP API (the browser kernel, `zoetrope run --url`) or the
// database directly (`zoetrope run --db`). RunSession (session.ts) does the batching and retrying on top of it.
import type * as tf from "@tensorflow/tfjs-core";
import type { JsonValue, RunEndStatus } from "../protocol";

export interface RunStart {
  experimentId: string;
  code: string;
  name?: string;
  hparams: Record<string, JsonValue>;
  seed?: number;
  backend?: string;
  device?: Record<string, JsonValue> | null;
  sweepId?: string;
  sweepJob?: number;
  attempt?: number;
}

/** One batch of points in the tracker's column form; null values are NaN (a diverged loss stays visible). */
export type MetricColumns = Record<string, { steps: number[]; values: (number | null)[]; times: number[] }>;

export interface SampleUpload {
  name: string;
  step: number;
  mime: string;
  data: Uint8Array;
  fps?: number;
  frames?: number;
  width?: number;
  height?: number;
}

export interface StoredCheckpoint {
  id: string;
  step: number;
}

export interface TrackerSink {
  /** A short description for messages: the server's URL or the database file. */
  readonly where: string;
  /** The id of the experiment titled `title` (matched by its slug), created with `notebook` if there is none. */
  ensureExperiment(title: string, notebook: string): Promise<string>;
  createRun(start: RunStart): Promise<{ id: string; name: string }>;
  /** Replaces the run's hyperparameters, and its seed when one is given. */
  setHparams(runId: string, hparams: Record<string, JsonValue>, seed?: number): Promise<void>;
  /** Idempotent per (run, batch): sending a batch number again is a no-op, so a failed request can be retried. */
  postMetrics(runId: string, batch: number, series: MetricColumns): Promise<void>;
  postSample(runId: string, sample: SampleUpload): Promise<{ id: string; url: string }>;
  /** Stores a checkpoint (gan's checkpointArtifacts) with the run, at the step its metadata names. */
  saveCheckpoint(runId: string, artifacts: tf.io.ModelArtifacts): Promise<StoredCheckpoint>;
  /** A tf.io handler that loads the given checkpoint (for gan's loadCheckpoint). */
  checkpointLoader(runId: string, checkpointId: string): tf.io.IOHandler;
  /** The run's checkpoint with the highest step. */
  latestCheckpoint(runId: string): Promise<StoredCheckpoint | undefined>;
  heartbeat(runId: string): Promise<void>;
  endRun(runId: string, status: RunEndStatus, error?: string): Promise<void>;
}

/**
 * A failed sink call. `retryable` when sending the same thing again may work (network down, server busy or
 * restarting); not for a request the tracker refused (bad input, unknown run).
 */
export class SinkError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = "SinkError";
  }
}

export const isRetryable = (e: unknown) => !(e instanceof SinkError) || e.retryable;
