import { createRng } from "@/lib/gan/data/rng";

// A seeded generator for the property-style tests: the same texts on every run, so a failure reproduces.
export function seededRandom(seed: number): () => number {
  return createRng(seed).next;
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}
