// Failed-login limiter: at most `limit` failures per key in a sliding window, then 429 until the oldest one ages out.

export interface Limited {
  /** seconds until one more attempt is allowed */
  retryAfterS: number;
}

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    /** Past this many keys the stalest are dropped, so a flood of made-up keys cannot grow memory without bound. */
    private readonly maxKeys = 10_000,
  ) {}

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  /** null when an attempt is allowed now, else how long to wait. */
  check(key: string, now = Date.now()): Limited | null {
    const times = this.recent(key, now);
    if (times.length < this.limit) return null;
    return { retryAfterS: Math.max(1, Math.ceil((times[times.length - this.limit] + this.windowMs - now) / 1000)) };
  }

  fail(key: string, now = Date.now()): void {
    const times = this.recent(key, now);
    times.push(now);
    this.failures.delete(key); // re-insert: Map order is then least recently failed first
    this.failures.set(key, times);
    while (this.failures.size > this.maxKeys) this.failures.delete(this.failures.keys().next().value!);
  }

  clear(key: string): void {
    this.failures.delete(key);
  }
}
