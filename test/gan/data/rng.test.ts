import { describe, expect, it } from "vitest";
import { createRng, seedToUint32, shuffleInPlace } from "@/lib/gan/data/rng";

const draw = (seed: number, n = 8) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.next());
};

describe("seeded rng", () => {
  it("replays the same stream for the same seed and differs across seeds", () => {
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(0)).not.toEqual(draw(2 ** 32)); // high bits of large seeds count
    expect(seedToUint32(-1)).not.toBe(seedToUint32(1));
  });

  it("is uniform enough: values in [0, 1), mean ≈ 0.5, ints in range", () => {
    const rng = createRng(7);
    let total = 0;
    for (let i = 0; i < 20_000; i++) {
      const v = rng.next();
      expect(v >= 0 && v < 1).toBe(true);
      total += v;
    }
    expect(total / 20_000).toBeCloseTo(0.5, 1);
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 5000; i++) counts[rng.int(5)]++;
    counts.forEach((c) => expect(c).toBeGreaterThan(850));
  });

  it("shuffles to a permutation", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    shuffleInPlace(items, createRng(1));
    expect(items).not.toEqual([...items].sort((a, b) => a - b));
    expect([...items].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
