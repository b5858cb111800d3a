// Deterministic numbers for the gradient check, identical in Node and in the browser.
import { createRng } from "../../data/rng";

/** A seeded uniform [0, 1) stream (the datasets' generator, so there is one PRNG in the project). */
export function rng(seed: number): () => number {
  return createRng(seed).next;
}

/** FNV-1a of a string, to derive per-case, per-input seeds from names. */
export function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export type Init = "signed" | "awayFromZero" | "positive" | "binary";

/**
 * Values for one input. "awayFromZero" keeps |x| ≥ 0.1 so a finite-difference step never crosses a kink of
 * relu / leakyRelu / abs; "binary" gives 0/1 labels.
 */
export function values(size: number, seed: number, init: Init, scale: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const u = r();
    if (init === "binary") out[i] = u < 0.5 ? 0 : 1;
    else if (init === "positive") out[i] = scale * (0.1 + u);
    else if (init === "awayFromZero") out[i] = scale * (r() < 0.5 ? -1 : 1) * (0.1 + 0.9 * u);
    else out[i] = scale * (2 * u - 1);
  }
  return out;
}

/** A random direction of unit L2 norm. */
export function direction(size: number, seed: number): Float32Array {
  const v = values(size, seed, "signed", 1);
  const norm = Math.sqrt(v.reduce((acc, x) => acc + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}
