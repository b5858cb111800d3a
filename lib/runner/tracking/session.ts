// One tracked run as the kernel sees it: metrics batched (a request per second, or sooner at 5,000 points) and
// every request queued in order and retried until the tracker takes it. A metric batch keeps its number through
// retries, so a request that reached the server but whose answer was lost is not stored twice.
import type { JsonValue, MetricPoint, RunEndStatus } from "../protocol";
import { isRetryable, type MetricColumns, type RunStart, type SampleUpload, type TrackerSink } from "./sink";

export interface SessionOptions {
  /** Longest wait before buffered points are sent. */
  flushMs?: number;
  /** Points that make a batch go at once. The tracker takes at most 10,000 in one request. */
  batchPoints?: number;
  heartbeatMs?: number;
  /** First retry delay; it doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  /** How long close() keeps trying to deliver what is queued. */
  closeTimeoutMs?: number;
  /** Told when delivery starts failing, recovers, or gives up on something. */
  onWarning?: (message: string) => void;
}

interface Job {
  what: string;
  /** Metric points the job carries. */
  points?: number;
  send: () => Promise<void>;
  done?: (error?: unknown) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class RunSession {
  private readonly opts: Required<Omit<SessionOptions, "onWarning">> & Pick<SessionOptions, "onWarning">;
  private buffer: MetricPoint[] = [];
  private nextBatch = 0;
  private readonly queue: Job[] = [];
  private pumping: Promise<void> | null = null;
  private failing = false;
  private closed = false;
  private giveUpAt = Infinity;
  private readonly flushTimer: ReturnType<typeof setInterval>;
  private readonly heartbeatTimer: ReturnType<typeof setInterval>;

  private constructor(
    readonly sink: TrackerSink,
    readonly runId: string,
    readonly name: string,
    opts: SessionOptions,
  ) {
    this.opts = {
      flushMs: 1000,
      batchPoints: 5000,
      heartbeatMs: 30_000,
      retryMs: 250,
      maxRetryMs: 5000,
      closeTimeoutMs: 30_000,
      ...opts,
    };
    this.flushTimer = setInterval(() => this.seal(), this.opts.flushMs);
    this.heartbeatTimer = setInterval(() => void sink.heartbeat(runId).catch(() => {}), this.opts.heartbeatMs);
  }

  /** Creates the run (retrying while the tracker is unreachable, up to closeTimeoutMs). */
  static async start(sink: TrackerSink, start: RunStart, opts: SessionOptions = {}): Promise<RunSession> {
    const deadline = Date.now() + (opts.closeTimeoutMs ?? 30_000);
    for (let delay = opts.retryMs ?? 250; ; delay = Math.min(delay * 2, opts.maxRetryMs ?? 5000)) {
      try {
        const { id, name } = await sink.createRun(start);
        return new RunSession(sink, id, name, opts);
      } catch (e) {
        if (!isRetryable(e) || Date.now() + delay > deadline) throw e;
        await sleep(delay);
      }
    }
  }

  /** Buffers points; they go out within flushMs, or now when a batch is full. */
  log(points: MetricPoint[]): void {
    if (this.closed) return;
    this.buffer.push(...points);
    if (this.buffer.length >= this.opts.batchPoints) this.seal();
  }

  /** Replaces the run's hyperparameters (the whole set: a repeated request is harmless), and its seed if given. */
  setHparams(hparams: Record<string, JsonValue>, seed?: number): void {
    this.enqueue({ what: "hyperparameters", send: () => this.sink.setHparams(this.runId, hparams, seed) });
  }

  /** Resolves once the sample is stored, in order with the metrics logged before it. */
  sample(upload: SampleUpload): Promise<{ id: string; url: string }> {
    this.seal(); // the points logged so far go first
    return new Promise((resolve, reject) => {
      let stored: { id: string; url: string } | undefined;
      this.enqueue({
        what: `sample "${upload.name}" at step ${upload.step}`,
        send: async () => void (stored = await this.sink.postSample(this.runId, upload)),
        done: (error) => (error ? reject(error) : resolve(stored!)),
      });
    });
  }

  /** Sends everything logged so far; resolves when the queue is empty. */
  async flush(): Promise<void> {
    this.seal();
    while (this.pumping) await this.pumping;
  }

  /** Points not yet stored: buffered or waiting in a queued batch. */
  get pendingPoints(): number {
    return this.buffer.length + this.queue.reduce((n, j) => n + (j.points ?? 0), 0);
  }

  /** Delivers what is queued (for up to closeTimeoutMs), then ends the run. */
  async close(status: RunEndStatus, error?: string): Promise<void> {
    if (this.closed) return;
    this.seal();
    this.closed = true;
    clearInterval(this.flushTimer);
    clearInterval(this.heartbeatTimer);
    this.giveUpAt = Date.now() + this.opts.closeTimeoutMs;
    // The tracker keeps at most 100,000 characters of an error (lib/tracker/schemas.ts runPatch).
    const message = error?.slice(0, 100_000);
    this.enqueue({ what: "the run's end", send: () => this.sink.endRun(this.runId, status, message) }, true);
    while (this.pumping) await this.pumping;
  }

  /** Turns the buffered points into the next numbered batch. */
  private seal(): void {
    while (this.buffer.length > 0) {
      const points = this.buffer.splice(0, this.opts.batchPoints);
      const batch = this.nextBatch++;
      const series = toColumns(points);
      const send = () => this.sink.postMetrics(this.runId, batch, series);
      this.enqueue({ what: `${points.length} metric points (batch ${batch})`, points: points.length, send });
    }
  }

  /** `last`: the run's end, the one job that may follow close(). */
  private enqueue(job: Job, last = false): void {
    if (this.closed && !last) {
      job.done?.(new Error("the run has ended"));
      return;
    }
    this.queue.push(job);
    this.pumping ??= this.pump();
  }

  /** Sends jobs in order until the queue is empty; `pumping` is cleared as Kernel.work clears `working`. */
  private async pump(): Promise<void> {
    let delay = this.opts.retryMs;
    while (this.queue.length > 0) {
      const job = this.queue[0];
      try {
        await job.send();
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (isRetryable(e) && Date.now() + delay <= this.giveUpAt) {
          if (!this.failing) this.warn(`tracker: ${message}; retrying (nothing is lost while this kernel runs)`);
          this.failing = true;
          await sleep(delay);
          delay = Math.min(delay * 2, this.opts.maxRetryMs);
          continue;
        }
        this.warn(`tracker: gave up on ${job.what}: ${message}`);
        this.queue.shift();
        job.done?.(e);
        continue;
      }
      if (this.failing) this.warn("tracker: reachable again; sending what was queued");
      this.failing = false;
      delay = this.opts.retryMs;
      this.queue.shift();
      job.done?.();
    }
    this.pumping = null;
  }

  private warn(message: string): void {
    this.opts.onWarning?.(message);
  }
}

/** Points → the tracker's column form; NaN and ±Infinity travel as null (JSON has no such numbers). */
export function toColumns(points: readonly MetricPoint[]): MetricColumns {
  const out: MetricColumns = {};
  for (const p of points) {
    const c = (out[p.key] ??= { steps: [], values: [], times: [] });
    c.steps.push(p.step);
    c.values.push(Number.isFinite(p.value) ? p.value : null);
    c.times.push(p.time);
  }
  return out;
}
