// The server's kernels: one Node process each (kernel-process.ts), outliving the pages that use them, as Jupyter's
// do. For each kernel the manager keeps the events a page needs to show where it stands (a page that attaches,
// after a reload or from another laptop, is sent them first), and the tracked run of each stretch of execution,
// which it ends itself (run-batch.ts), so a run ends well with no page attached. Node only; one per server process.
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { deleteRun, updateRun } from "../../tracker/runs";
import type { KernelCommand, KernelEvent, KernelStatus, RunEndStatus } from "../protocol";
import { addCells, batchEvent, startBatch, type RunBatch } from "../run-batch";
import { EventLog, type LoggedEvent } from "./event-log";
import type { FromKernelProcess } from "./messages";

/** What an attached page receives: an event with its sequence number, or the end of the kernel. */
export type KernelMessage = LoggedEvent | { exit: string };

export interface KernelExperiment {
  id: string;
  slug: string;
  title: string;
}

export interface KernelSummary {
  id: string;
  experiment: KernelExperiment;
  startedAt: string;
  status: KernelStatus;
  backend?: string;
  /** Resident memory of the kernel's process, in bytes, as it last reported. */
  rss?: number;
  /** Pages attached now. */
  attached: number;
  lastActivityAt: string;
}

export interface KernelManagerOptions {
  /** The kernel process's entry (a .ts file run through tsx). */
  entry?: string;
  /** An idle kernel with no page attached is shut down after this long; 0 never. */
  idleMs?: number;
  env?: NodeJS.ProcessEnv;
  /** The kernel processes' scheduling priority (nice, 0–19): above 0, the machine's other work comes first. */
  niceness?: number;
}

/** Why a kernel was shut down; a page that replaces its own kernel ends the run itself. */
export type ShutdownReason = "shut down" | "replaced" | "idle";

const DEFAULT_ENTRY = path.join(process.cwd(), "lib", "runner", "server", "kernel-process.ts");

class ServerKernel {
  readonly id = randomUUID();
  readonly startedAt = new Date();
  readonly log = new EventLog();
  readonly listeners = new Set<(message: KernelMessage) => void>();
  status: KernelStatus = "starting";
  backend: string | undefined;
  rss: number | undefined;
  lastActivity = Date.now();
  private batch: RunBatch | undefined;
  private runId: string | undefined;
  private readonly discard = new Set<string>();
  private initialised = false;
  private closing = false;

  constructor(
    readonly experiment: KernelExperiment,
    private readonly child: ChildProcess,
    private readonly onGone: () => void,
  ) {
    child.on("message", (m: FromKernelProcess) => {
      if (m.kind === "memory") this.rss = m.rss;
      else this.received(m.event);
    });
    child.on("exit", (code, signal) => {
      if (this.closing) return;
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
      this.gone(`the server kernel's process ${how}`, "failed");
    });
  }

  summary(): KernelSummary {
    return {
      id: this.id,
      experiment: this.experiment,
      startedAt: this.startedAt.toISOString(),
      status: this.status,
      backend: this.backend,
      rss: this.rss,
      attached: this.listeners.size,
      lastActivityAt: new Date(this.lastActivity).toISOString(),
    };
  }

  command(command: KernelCommand): void {
    this.lastActivity = Date.now();
    switch (command.type) {
      case "init":
        if (this.initialised) return; // a page attaching to a running kernel
        this.initialised = true;
        break;
      case "start-run":
        if (this.batch) return; // cells sent while others run join their run, as in the browser's kernel
        this.batch = startBatch(command.wholeNotebook ?? true);
        break;
      case "run-cell":
        if (this.batch) this.batch = addCells(this.batch, 1, false);
        break;
      case "delete-cell":
        this.log.forgetCell(command.cellId);
        break;
      default:
        break;
    }
    this.send(command);
  }

  attach(after: number, listener: (message: KernelMessage) => void): () => void {
    for (const entry of this.log.since(after)) listener(entry);
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      this.lastActivity = Date.now();
    };
  }

  shutdown(reason: ShutdownReason): void {
    if (this.closing) return;
    this.gone(`the server kernel was ${reason === "idle" ? "shut down after being idle" : reason}`, reason === "replaced" ? undefined : "interrupted");
  }

  private send(command: KernelCommand): void {
    if (this.child.connected) this.child.send(command);
  }

  private received(event: KernelEvent): void {
    this.lastActivity = Date.now();
    if (event.op === "status") this.status = event.status;
    if (event.op === "kernel-info") this.backend = event.backend;
    if (event.op === "run-started") this.runId = event.runId;
    if (event.op === "run-ended") {
      if (this.runId === event.runId) this.runId = undefined;
      if (this.discard.delete(event.runId)) void deleteRun(event.runId).catch(() => {});
    }
    if (this.batch) {
      const { batch, end } = batchEvent(this.batch, event);
      this.batch = batch;
      if (end) {
        if (end.discardRunId) this.discard.add(end.discardRunId);
        this.send({ type: "end-run", status: end.status, ...(end.error ? { error: end.error } : {}) });
      }
    }
    const entry = this.log.append(event);
    for (const listener of this.listeners) listener(entry);
  }

  /** Ends the process and its run, tells the attached pages, and leaves the manager's list. */
  private gone(reason: string, runStatus: RunEndStatus | undefined): void {
    this.closing = true;
    this.status = "dead";
    this.child.kill("SIGKILL");
    if (this.runId && runStatus) void updateRun(this.runId, { status: runStatus, error: reason }).catch(() => {});
    for (const listener of this.listeners) listener({ exit: reason });
    this.listeners.clear();
    this.onGone();
  }
}

export class KernelManager {
  private readonly kernels = new Map<string, ServerKernel>();
  private readonly entry: string;
  private readonly idleMs: number;
  private readonly env: NodeJS.ProcessEnv | undefined;
  private readonly niceness: number;
  private readonly cull: ReturnType<typeof setInterval> | undefined;

  constructor(opts: KernelManagerOptions = {}) {
    this.entry = opts.entry ?? DEFAULT_ENTRY;
    this.idleMs = opts.idleMs ?? 0;
    this.env = opts.env;
    this.niceness = opts.niceness ?? 0;
    if (this.idleMs > 0) {
      this.cull = setInterval(() => this.shutDownIdle(), Math.min(60_000, this.idleMs));
      this.cull.unref();
    }
  }

  /** A new kernel for the experiment, or, with `attach`, the one already running for it. */
  open(experiment: KernelExperiment, attach: boolean): { kernel: KernelSummary; attached: boolean } {
    if (attach) {
      const running = [...this.kernels.values()].find((k) => k.experiment.id === experiment.id);
      if (running) return { kernel: running.summary(), attached: true };
    }
    const child = fork(this.entry, [], {
      execArgv: ["--import", "tsx"],
      serialization: "advanced",
      env: this.env ?? process.env,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    if (this.niceness > 0 && child.pid !== undefined) {
      try {
        os.setPriority(child.pid, this.niceness);
      } catch {
        // not allowed here: the kernel runs at the server's priority
      }
    }
    const kernel = new ServerKernel(experiment, child, () => this.kernels.delete(kernel.id));
    this.kernels.set(kernel.id, kernel);
    return { kernel: kernel.summary(), attached: false };
  }

  list(): KernelSummary[] {
    return [...this.kernels.values()].map((k) => k.summary());
  }

  get(id: string): KernelSummary | undefined {
    return this.kernels.get(id)?.summary();
  }

  /** False when no such kernel runs. */
  command(id: string, commands: KernelCommand[]): boolean {
    const kernel = this.kernels.get(id);
    if (!kernel) return false;
    for (const c of commands) kernel.command(c);
    return true;
  }

  /** Sends the kernel's log after `after`, then every later message; undefined when no such kernel runs. */
  attach(id: string, after: number, listener: (message: KernelMessage) => void): (() => void) | undefined {
    return this.kernels.get(id)?.attach(after, listener);
  }

  shutdown(id: string, reason: ShutdownReason = "shut down"): boolean {
    const kernel = this.kernels.get(id);
    kernel?.shutdown(reason);
    return kernel !== undefined;
  }

  shutdownAll(): void {
    for (const kernel of [...this.kernels.values()]) kernel.shutdown("shut down");
    clearInterval(this.cull);
  }

  private shutDownIdle(now = Date.now()): void {
    for (const kernel of [...this.kernels.values()]) {
      if (kernel.status !== "busy" && kernel.listeners.size === 0 && now - kernel.lastActivity > this.idleMs) kernel.shutdown("idle");
    }
  }
}
