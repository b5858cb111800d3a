// The page's handle on the kernel (worker.ts in a Web Worker, or a server kernel through remote-kernel.ts): starts
// it, forwards commands, and replaces it when it cannot go on. A cell stuck in synchronous code (`while (true) {}`)
// never reads its AbortSignal, so the only way to stop it is to end the worker or process, which loses every
// variable; restart() does the same on purpose, to free GPU memory. No React, no DOM beyond the port: the notebook
// page wraps this.
import type { BackendChoice, KernelCommand, KernelEvent, KernelStatus, RunEndStatus } from "./protocol";

/**
 * The channel to one kernel: a Web Worker is one (the browser's kernel), remote-kernel.ts's RemoteKernel another (a
 * server kernel). `terminate` ends the kernel; `detach`, where present, only lets go of it: a server kernel
 * outlives the page.
 */
export interface KernelPort {
  postMessage(command: KernelCommand): void;
  addEventListener(type: "message", listener: (e: MessageEvent<KernelEvent>) => void): void;
  addEventListener(type: "error" | "messageerror", listener: (e: Event) => void): void;
  terminate(): void;
  detach?(): void;
}

export interface KernelClientOptions {
  createWorker: () => KernelPort;
  backend?: BackendChoice;
  /** The tracker's origin; "" or absent means the page's own. */
  trackerUrl?: string;
  /** How long an interrupted cell may take to stop before the worker is terminated. */
  interruptGraceMs?: number;
  onEvent: (event: KernelEvent) => void;
}

/** What the client knew when it sent an interrupt, and what it knows when the grace period is over. */
export interface InterruptSnapshot {
  /** Which worker: a replaced one does not count. */
  worker: number;
  status: KernelStatus;
  /** How many `status: idle` events that worker has sent. */
  idles: number;
  /** How many `pong`s it has sent: it answers only while its event loop is free. */
  pongs: number;
}

/**
 * After a grace period: "stuck" when the same worker was busy at the interrupt and has neither gone idle nor answered
 * a ping since (its event loop is blocked: synchronous code); "wait" when it is still busy but answers (a long step
 * that awaits, and will see the signal); else "done".
 */
export function afterGrace(atInterrupt: InterruptSnapshot, now: InterruptSnapshot): "stuck" | "wait" | "done" {
  if (atInterrupt.status !== "busy" || now.worker !== atInterrupt.worker || now.idles !== atInterrupt.idles) return "done";
  return now.pongs === atInterrupt.pongs ? "stuck" : "wait";
}

export const STUCK_REASON =
  "the cell did not stop when interrupted: it is stuck in synchronous code; the kernel was restarted and every variable was lost";

/** The reason `kernel-replaced` gives for a restart the page asked for. */
export const RESTART_REASON = "restarted";

export class KernelClient {
  private worker!: KernelPort;
  private generation = 0;
  private idles = 0;
  private pongs = 0;
  private pings = 0;
  /** Whether the current worker's kernel has started: a worker that dies before that is not restarted (it would loop). */
  private ready = false;
  private current: KernelStatus = "starting";
  private run: string | undefined;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly opts: KernelClientOptions) {
    this.startWorker();
  }

  get status(): KernelStatus {
    return this.current;
  }

  get busy(): boolean {
    return this.current === "busy";
  }

  /** The tracked run the kernel is recording into, if any. */
  get runId(): string | undefined {
    return this.run;
  }

  send(command: KernelCommand): void {
    if (!this.disposed) this.worker.postMessage(command);
  }

  /** Asks the running cell to stop; terminates the worker if it is still busy after the grace period. */
  interrupt(): void {
    if (this.disposed) return;
    this.send({ type: "interrupt" });
    if (this.graceTimer !== undefined) return; // the first interrupt's deadline stands
    if (this.current === "busy") this.awaitStop();
  }

  /** Pings, and after the grace period decides: stopped, still answering (wait again), or stuck (replace). */
  private awaitStop(): void {
    const before = this.snapshot();
    this.send({ type: "ping", id: ++this.pings });
    this.graceTimer = setTimeout(() => {
      this.graceTimer = undefined;
      const verdict = afterGrace(before, this.snapshot());
      if (verdict === "stuck") this.replace(STUCK_REASON, "interrupted", STUCK_REASON);
      else if (verdict === "wait") this.awaitStop();
    }, this.opts.interruptGraceMs ?? 3000);
  }

  /** A fresh kernel at once: terminating the worker is what frees its GPU memory. */
  restart(): void {
    if (!this.disposed) this.replace(RESTART_REASON, "finished");
  }

  /** Ends the kernel, or for a server kernel only lets go of it. */
  dispose(): void {
    this.disposed = true;
    this.clearGrace();
    if (this.worker.detach) this.worker.detach();
    else this.worker.terminate();
  }

  private snapshot(): InterruptSnapshot {
    return { worker: this.generation, status: this.current, idles: this.idles, pongs: this.pongs };
  }

  private startWorker(): void {
    const generation = ++this.generation;
    this.idles = 0;
    this.pongs = 0;
    this.ready = false;
    this.current = "starting";
    const worker = this.opts.createWorker();
    this.worker = worker;
    // A terminated worker's last messages may still be queued: only the current one's count.
    const mine = () => !this.disposed && generation === this.generation;
    worker.addEventListener("message", (e: MessageEvent<KernelEvent>) => mine() && this.received(e.data));
    worker.addEventListener("error", (e: Event) => mine() && this.crashed(e));
    worker.addEventListener("messageerror", () => mine() && this.emit({ op: "warning", message: "a kernel message could not be read" }));
    this.emit({ op: "status", status: "starting" });
    worker.postMessage({ type: "init", backend: this.opts.backend, trackerUrl: this.opts.trackerUrl } satisfies KernelCommand);
  }

  private received(event: KernelEvent): void {
    switch (event.op) {
      case "status":
        this.current = event.status;
        if (event.status === "idle") {
          this.idles++;
          this.ready = true;
          this.clearGrace();
        }
        break;
      case "pong":
        this.pongs++;
        return; // the client's own question: nothing for the page
      case "run-started":
        this.run = event.runId;
        break;
      case "run-ended":
        if (this.run === event.runId) this.run = undefined;
        break;
    }
    this.emit(event);
  }

  private crashed(e: Event): void {
    e.preventDefault();
    // An ErrorEvent has the message; a script that failed to load gives a bare Event.
    const message = (e as Partial<ErrorEvent>).message || "the kernel worker failed";
    if (this.ready) {
      this.replace(`the kernel crashed (${message}); it was restarted and every variable was lost`, "failed", message);
      return;
    }
    // Failing before it ever started (the script did not load, the backend threw): a new one would fail the same way.
    this.clearGrace();
    this.worker.terminate();
    this.current = "dead";
    this.emit({ op: "warning", message: `the kernel could not start: ${message}` });
    this.emit({ op: "status", status: "dead" });
  }

  /** Terminates the worker, ends its tracked run, and starts a fresh one; the page re-sends nothing. */
  private replace(reason: string, runStatus: RunEndStatus, error?: string): void {
    this.clearGrace();
    this.worker.terminate();
    this.current = "dead";
    this.emit({ op: "status", status: "dead" });
    this.emit({ op: "kernel-replaced", reason });
    this.endRun(runStatus, error);
    this.startWorker();
  }

  /** The terminated kernel cannot end its own run: tell the tracker, without waiting and ignoring failures. */
  private endRun(status: RunEndStatus, error?: string): void {
    const runId = this.run;
    this.run = undefined;
    if (runId === undefined) return;
    const body = JSON.stringify(error === undefined ? { status } : { status, error });
    const url = `${(this.opts.trackerUrl ?? "").replace(/\/$/, "")}/api/runs/${encodeURIComponent(runId)}`;
    try {
      fetch(url, { method: "PATCH", headers: { "content-type": "application/json" }, body }).catch(() => {});
    } catch {
      // no fetch here, or a malformed URL: the tracker shows the run as interrupted once its heartbeat stops
    }
  }

  private clearGrace(): void {
    clearTimeout(this.graceTimer);
    this.graceTimer = undefined;
  }

  private emit(event: KernelEvent): void {
    this.opts.onEvent(event);
  }
}
