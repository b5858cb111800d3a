// The digits a Moving MNIST dataset draws from: one split of the asset, rescaled once to the drawing size.
import type { DigitSet } from "./mnist-asset";
import { resizeImage } from "./resize";
import { hash32 } from "./rng";

export type DigitSplit = "all" | "train" | "test";

/**
 * Whether digit i belongs to the test split. A fixed hash of the index (not a seeded shuffle) makes the split the same
 * for every seed and every run, so an FVD real set drawn from "test" never shares a digit with "train"; and a smaller
 * fraction's test set is a subset of a larger one's.
 */
export function isTestDigit(index: number, testFraction: number): boolean {
  return hash32(index ^ 0x5eed5) / 4294967296 < testFraction;
}

export function splitIndices(count: number, split: DigitSplit, testFraction: number): Uint32Array {
  const keep: number[] = [];
  for (let i = 0; i < count; i++) {
    if (split === "all" || isTestDigit(i, testFraction) === (split === "test")) keep.push(i);
  }
  return Uint32Array.from(keep);
}

export interface DigitPool {
  count: number;
  side: number;
  indices: Uint32Array; // [count] index into the asset, for tracing a sample back to its digit and label
  pixels: Uint8Array; // [count, side, side], 0..255 — bytes, not floats: a quarter of the memory (7.8 MB for all)
}

export function buildDigitPool(digits: DigitSet, split: DigitSplit, testFraction: number, side: number): DigitPool {
  const indices = splitIndices(digits.count, split, testFraction);
  if (indices.length === 0) throw new Error(`the "${split}" split with testFraction ${testFraction} holds no digits`);
  const cell = digits.rows * digits.cols;
  const native = side === digits.rows && side === digits.cols;
  if (native && indices.length === digits.count) return { count: digits.count, side, indices, pixels: digits.pixels };
  const pixels = new Uint8Array(indices.length * side * side);
  const scaled = new Float32Array(side * side);
  indices.forEach((d, i) => {
    const src = digits.pixels.subarray(d * cell, (d + 1) * cell);
    if (native) pixels.set(src, i * cell);
    else pixels.set(resizeImage(src, digits.cols, digits.rows, side, side, { out: scaled }).map(Math.round), i * side * side);
  });
  return { count: indices.length, side, indices, pixels };
}
