// A server kernel's events, numbered, kept for the pages that attach later: enough to show the notebook as it
// stands, not its whole history. A cell keeps the events of its latest run only (a rerun replaces its outputs on a
// page too); the kernel's status, backend, hyperparameters and run keep only their latest event; warnings the last
// few; pongs answer one page's question and are not kept.
import type { KernelEvent } from "../protocol";

export interface LoggedEvent {
  seq: number;
  event: KernelEvent;
}

/** Events of which only the latest counts. */
const LATEST_ONLY = new Set<KernelEvent["op"]>(["status", "kernel-info", "config", "run-started", "run-ended"]);
const KEPT_WARNINGS = 20;

export class EventLog {
  private entries: LoggedEvent[] = [];
  private seq = 0;

  append(event: KernelEvent): LoggedEvent {
    const entry = { seq: ++this.seq, event };
    if (event.op === "pong") return entry;
    if (LATEST_ONLY.has(event.op)) this.entries = this.entries.filter((e) => e.event.op !== event.op);
    if (event.op === "cell-started") this.forgetCell(event.cellId);
    if (event.op === "cell-skipped") this.forgetCell(event.cellId);
    if (event.op === "warning") {
      const warnings = this.entries.filter((e) => e.event.op === "warning");
      if (warnings.length >= KEPT_WARNINGS) this.entries = this.entries.filter((e) => e !== warnings[0]);
    }
    this.entries.push(entry);
    return entry;
  }

  /** The kept events after sequence number `after`, in order. */
  since(after: number): LoggedEvent[] {
    return this.entries.filter((e) => e.seq > after);
  }

  /** Drops a cell's events: it runs again, or was deleted. */
  forgetCell(cellId: string): void {
    this.entries = this.entries.filter((e) => !("cellId" in e.event) || e.event.cellId !== cellId);
  }
}
