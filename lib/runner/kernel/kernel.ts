// The notebook kernel: one shared scope, a queue of commands run in order, the cell API, and the tracked run.
// It knows nothing of Workers or terminals: worker.ts wraps it for the browser, cli/ for Node. Every result goes
// out through `emit` as a KernelEvent; nothing here throws at its caller.
import { availableNames, createScope, deleteCellNames, runCell, type NotebookScope } from "../scope";
import { compileCell } from "../transpile";
import type { ConfigValue } from "../cell-api";
import {
  assertNever,
  errorOutput,
  type CellErrorData,
  type CellOutcome,
  type JsonValue,
  type KernelCommand,
  type KernelEvent,
  type MetricPoint,
  type RunEndStatus,
  type RunRequest,
} from "../protocol";
import { RunSession, type SessionOptions } from "../tracking/session";
import type { TrackerSink } from "../tracking/sink";
import { applyOverrides, ConfigError, mergeHparams } from "./config";
import { createCellContext, type KernelServices } from "./cell-context";
import { registerChainedOps } from "./chained-ops";

export interface KernelOptions {
  emit(event: KernelEvent): void;
  /** Names every cell sees: tf and gan. */
  globals: Record<string, unknown>;
  /** Where runs are recorded; without one, `start-run` fails and metrics only reach the page. */
  sink?: TrackerSink;
  /** Recorded on each run. */
  backend?: { backend: string; device?: Record<string, JsonValue> };
  session?: SessionOptions;
  /** How often logged points are sent to the page. */
  metricEventMs?: number;
}

export interface CellRunResult {
  outcome: CellOutcome | "skipped";
  error?: CellErrorData;
}

type Job =
  | { kind: "cell"; cellId: string; code: string; done: (r: CellRunResult) => void }
  | { kind: "start-run"; run: RunRequest; done: (error?: unknown) => void }
  | { kind: "end-run"; status: RunEndStatus; error?: string; done: () => void };

export class Kernel {
  private scope: NotebookScope;
  private overrides: Record<string, JsonValue> = {};
  private readonly usedOverrides = new Set<string>();
  private hparams: Record<string, JsonValue> = {};
  private lastStep = -1;
  private session: RunSession | undefined;
  private exec = 0;
  private readonly queue: Job[] = [];
  private working: Promise<void> | null = null;
  /** The running cell. */
  private current: { cellId: string; exec: number; controller: AbortController } | undefined;
  private pageMetrics: { cellId: string; exec: number; points: MetricPoint[] }[] = [];
  private readonly metricTimer: ReturnType<typeof setInterval>;

  constructor(private readonly opts: KernelOptions) {
    registerChainedOps();
    this.scope = createScope(opts.globals);
    this.metricTimer = setInterval(() => this.flushPageMetrics(), opts.metricEventMs ?? 250);
  }

  /** The protocol's entry point (the worker forwards every message here). */
  handle(command: KernelCommand): void {
    switch (command.type) {
      case "init":
        this.warn("the kernel is already initialised; restart it to change the backend");
        return;
      case "start-run":
        void this.startRun(command.run).catch(() => {}); // reported as a warning by startRun
        return;
      case "end-run":
        void this.endRun(command.status, command.error);
        return;
      case "run-cell":
        void this.runCell(command.cellId, command.code);
        return;
      case "interrupt":
        this.interrupt();
        return;
      case "ping":
        this.opts.emit({ op: "pong", id: command.id });
        return;
      case "restart":
        void this.restart();
        return;
      case "delete-cell":
        deleteCellNames(this.scope, command.cellId);
        return;
      case "set-config":
        this.setOverrides(command.overrides);
        return;
      default:
        assertNever(command);
    }
  }

  /** Queues a cell; resolves with how it ended. */
  runCell(cellId: string, code: string): Promise<CellRunResult> {
    return new Promise((done) => this.enqueue({ kind: "cell", cellId, code, done }));
  }

  /** Queues the start of a new tracked run (ending the current one as finished). */
  startRun(run: RunRequest): Promise<void> {
    return new Promise((resolve, reject) =>
      this.enqueue({ kind: "start-run", run, done: (e) => (e === undefined ? resolve() : reject(e)) }),
    );
  }

  /** Queues the end of the tracked run; resolves when everything it logged is delivered. */
  endRun(status: RunEndStatus, error?: string): Promise<void> {
    return new Promise((done) => this.enqueue({ kind: "end-run", status, error, done }));
  }

  /** Overrides for `config(…)` from now on ("Rerun with…", `--set`). */
  setOverrides(overrides: Record<string, JsonValue>): void {
    this.overrides = { ...overrides };
    this.usedOverrides.clear();
  }

  /** Override keys no `config` call has used: most likely a typo. */
  unusedOverrides(): string[] {
    return Object.keys(this.overrides).filter((k) => !this.usedOverrides.has(k));
  }

  get runId(): string | undefined {
    return this.session?.runId;
  }

  /** Stops the running cell at its next await of the signal, and drops the queued cells. */
  interrupt(): void {
    this.current?.controller.abort(new DOMException("The cell was interrupted.", "AbortError"));
    this.skipQueuedCells("interrupted");
  }

  /** Drops every binding. The run ends; the overrides stay. */
  async restart(): Promise<void> {
    this.interrupt();
    while (this.working) await this.working;
    await this.closeSession("finished");
    this.scope = createScope(this.opts.globals);
    this.hparams = {};
    this.lastStep = -1;
    this.usedOverrides.clear();
    this.opts.emit({ op: "status", status: "idle" });
  }

  /** Waits for the queue to empty, then stops the timers. The run, if any, is left as it is. */
  async dispose(): Promise<void> {
    while (this.working) await this.working;
    clearInterval(this.metricTimer);
    this.flushPageMetrics();
  }

  private enqueue(job: Job): void {
    this.queue.push(job);
    this.working ??= this.work();
  }

  /**
   * Runs jobs until the queue is empty. `working` is cleared with no await between it and the last look at the
   * queue: a job queued by whoever awaited the last one then starts a new round instead of being stranded.
   */
  private async work(): Promise<void> {
    this.opts.emit({ op: "status", status: "busy" });
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      try {
        await this.runJob(job);
      } catch (e) {
        this.warn(`kernel: ${e instanceof Error ? e.message : String(e)}`); // a bug of ours, not the cell's
      }
    }
    this.working = null;
    this.opts.emit({ op: "status", status: "idle" });
  }

  private async runJob(job: Job): Promise<void> {
    switch (job.kind) {
      case "cell": {
        const result = await this.execute(job.cellId, job.code);
        if (result.outcome !== "ok") this.skipQueuedCells(result.outcome === "error" ? "error" : "interrupted");
        job.done(result);
        return;
      }
      case "start-run":
        try {
          await this.openSession(job.run);
          job.done();
        } catch (e) {
          this.warn(`could not start a tracked run: ${e instanceof Error ? e.message : String(e)}`);
          job.done(e);
        }
        return;
      case "end-run":
        await this.closeSession(job.status, job.error);
        job.done();
        return;
      default:
        assertNever(job);
    }
  }

  /** Queued cells up to the next run start will not run: what they depend on failed. */
  private skipQueuedCells(reason: "error" | "interrupted"): void {
    const end = this.queue.findIndex((j) => j.kind !== "cell");
    const skipped = this.queue.splice(0, end < 0 ? this.queue.length : end);
    for (const job of skipped) {
      if (job.kind !== "cell") continue;
      this.opts.emit({ op: "cell-skipped", cellId: job.cellId, reason });
      job.done({ outcome: "skipped" });
    }
  }

  private async execute(cellId: string, code: string): Promise<CellRunResult> {
    const exec = ++this.exec;
    const controller = new AbortController();
    this.current = { cellId, exec, controller };
    const started = performance.now();
    this.opts.emit({ op: "cell-started", cellId, exec, runId: this.session?.runId, time: Date.now() });
    const ctx = createCellContext(this.services(), cellId, exec, controller.signal);
    const api = ctx.api as unknown as Record<string, unknown>;
    const compiled = compileCell(code, { id: cellId, available: availableNames(this.scope, api) });
    const result = await runCell(this.scope, compiled, api);
    // The cell's last expression is shown, as in a REPL (an awaited show's own result is undefined).
    if (!result.error && result.value !== undefined) await ctx.api.show(result.value);
    await ctx.settle();
    ctx.flushProgress();
    this.flushPageMetrics();
    if (result.error) this.opts.emit({ op: "output", cellId, exec, output: errorOutput(result.error, Date.now()) });
    const outcome: CellOutcome = controller.signal.aborted ? "interrupted" : result.error ? "error" : "ok";
    this.current = undefined;
    this.opts.emit({ op: "cell-finished", cellId, exec, outcome, elapsedMs: performance.now() - started });
    return { outcome, error: result.error };
  }

  private services(): KernelServices {
    return {
      emit: (e) => this.opts.emit(e),
      now: () => Date.now(),
      config: <T extends Record<string, ConfigValue>>(defaults: T) => this.config(defaults),
      log: (points) => this.log(points),
      nextStep: () => this.lastStep + 1,
      session: () => this.session,
    };
  }

  private config<T extends Record<string, ConfigValue>>(defaults: T): T {
    if (typeof defaults !== "object" || defaults === null || Array.isArray(defaults)) {
      throw new ConfigError("config: expected an object of defaults, like config({ lr: 2e-4 })");
    }
    JSON.stringify(defaults); // a cycle or a BigInt fails here, before anything is recorded
    const { values, used } = applyOverrides(defaults, this.overrides);
    used.forEach((k) => this.usedOverrides.add(k));
    this.hparams = mergeHparams(this.hparams, values);
    this.opts.emit({ op: "config", hparams: this.hparams });
    // An integer `seed` in the config is the run's seed, shown and compared like the one `--seed` sets.
    const seed = this.hparams.seed;
    this.session?.setHparams(this.hparams, isInt32(seed) ? seed : undefined);
    return values;
  }

  private log(points: MetricPoint[]): void {
    if (points.length === 0) return;
    for (const p of points) this.lastStep = Math.max(this.lastStep, p.step);
    this.session?.log(points);
    // A callback that outlives its cell (a training loop still stopping) logs under the cell running now.
    const { cellId, exec } = this.current ?? { cellId: "", exec: 0 };
    const last = this.pageMetrics.at(-1);
    if (last && last.exec === exec) last.points.push(...points);
    else this.pageMetrics.push({ cellId, exec, points: [...points] });
  }

  private flushPageMetrics(): void {
    for (const { cellId, exec, points } of this.pageMetrics) this.opts.emit({ op: "metric", cellId, exec, points });
    this.pageMetrics = [];
  }

  private async openSession(run: RunRequest): Promise<void> {
    if (!this.opts.sink) throw new Error("this kernel has no tracker to record into");
    await this.closeSession("finished");
    const { backend, device } = this.opts.backend ?? {};
    this.session = await RunSession.start(
      this.opts.sink,
      { experimentId: run.experimentId, code: run.code, name: run.name, seed: run.seed, hparams: this.hparams, backend, device, ...run.sweep },
      { ...this.opts.session, onWarning: (m) => this.warn(m) },
    );
    this.opts.emit({ op: "run-started", runId: this.session.runId, name: this.session.name });
  }

  private async closeSession(status: RunEndStatus, error?: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = undefined;
    await session.close(status, error);
    this.opts.emit({ op: "run-ended", runId: session.runId, status });
  }

  private warn(message: string): void {
    this.opts.emit({ op: "warning", message });
  }
}

const isInt32 = (v: unknown): v is number => Number.isInteger(v) && Math.abs(v as number) < 2 ** 31;
