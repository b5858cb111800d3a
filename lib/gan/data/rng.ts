// Small seeded PRNGs for data generation. Math.random cannot be seeded, and datasets must replay exactly
// (same seed → same batches) so runs can be compared and FVD real sets reproduced.

/** splitmix32-style integer hash: spreads nearby seeds (0, 1, 2, …) into unrelated 32-bit states. */
export function hash32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Folds any finite number (negative, fractional, above 2^32) into a 32-bit seed, keeping the high bits. */
export function seedToUint32(seed: number): number {
  if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`);
  const whole = Math.trunc(seed);
  const lo = whole >>> 0;
  const hi = Math.floor(whole / 0x1_0000_0000) >>> 0;
  return hash32(lo ^ hash32(hi));
}

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
}

/** mulberry32: one 32-bit word of state, full period 2^32, fast in V8 — ample for picking digits and velocities. */
export function createRng(seed: number): Rng {
  let state = seedToUint32(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    uniform: (lo, hi) => lo + (hi - lo) * next(),
  };
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace(items: { length: number; [index: number]: unknown }, rng: Rng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
}
