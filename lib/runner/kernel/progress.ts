// progress(): a bar's state, its rate and time left, and how often it is sent (a training loop may tick
// thousands of times a second; the page needs ten updates a second at most).
import type { ProgressBar } from "../cell-api";
import type { Progress } from "../protocol";

export class ProgressState implements ProgressBar {
  private done = 0;
  private since?: { time: number; done: number };
  private lastSent = -Infinity;

  constructor(
    readonly id: string,
    private readonly total: number | undefined,
    private readonly label: string | undefined,
    private readonly send: (p: Progress) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly minIntervalMs = 100,
  ) {
    if (total !== undefined && !(Number.isFinite(total) && total >= 0)) {
      throw new RangeError(`progress: total must be a number ≥ 0, got ${total}`);
    }
    this.emit(true);
  }

  update(done: number): void {
    if (!Number.isFinite(done)) throw new RangeError(`progress: done must be a finite number, got ${done}`);
    // The steps up to the first update took unknown time (compiling, warm-up): the rate counts from there.
    this.since ??= { time: this.now(), done };
    this.done = done;
    this.emit(done === this.total);
  }

  tick(n = 1): void {
    this.update(this.done + n);
  }

  finish(): void {
    if (this.total !== undefined) this.done = Math.max(this.done, this.total);
    this.emit(true);
  }

  /** The current record, sent now; the kernel calls this when the cell ends so the last value shows. */
  flush(): void {
    this.emit(true);
  }

  snapshot(): Progress {
    const p: Progress = { id: this.id, done: this.done };
    if (this.total !== undefined) p.total = this.total;
    if (this.label !== undefined) p.label = this.label;
    const rate = this.rate();
    if (rate !== undefined) {
      p.rate = rate;
      if (this.total !== undefined && rate > 0) p.eta = Math.max(0, (this.total - this.done) / rate);
    }
    return p;
  }

  private rate(): number | undefined {
    if (!this.since) return undefined;
    const seconds = (this.now() - this.since.time) / 1000;
    const steps = this.done - this.since.done;
    return seconds > 0 && steps > 0 ? steps / seconds : undefined;
  }

  private emit(force: boolean): void {
    const t = this.now();
    if (!force && t - this.lastSent < this.minIntervalMs) return;
    this.lastSent = t;
    this.send(this.snapshot());
  }
}

/** Wraps an iterable so that iterating it moves `bar`. */
export function* iterateWithProgress<T>(items: Iterable<T>, bar: ProgressState): Generator<T> {
  let n = 0;
  for (const item of items) {
    yield item;
    bar.update(++n);
  }
  bar.finish();
}

/** The length of an array-like iterable, when it has one. */
export function lengthOf(items: Iterable<unknown>): number | undefined {
  const n = (items as { length?: unknown; size?: unknown }).length ?? (items as { size?: unknown }).size;
  return typeof n === "number" ? n : undefined;
}
