// Shared test fixtures: the cpu backend, and small synthetic digit sets whose pixels say which digit they are.
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import type { DigitSet } from "@/lib/gan/data/mnist-asset";

export async function useCpu(): Promise<void> {
  await tf.setBackend("cpu");
  await tf.ready();
}

/**
 * `count` 28×28 digits; digit i is a solid block of value i + 1 (so a frame's max names the digit) with ink up to
 * every border (so any clipping at the canvas edge would change a frame's ink).
 */
export function blockDigits(count = 100): DigitSet {
  if (count > 255) throw new Error("block digits are identified by value, so at most 255");
  const side = 28;
  const pixels = new Uint8Array(count * side * side);
  for (let i = 0; i < count; i++) pixels.fill(i + 1, i * side * side, (i + 1) * side * side);
  return { count, rows: side, cols: side, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), pixels };
}

export function sum(values: ArrayLike<number>, from = 0, to = values.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += values[i];
  return s;
}

export function minMax(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) [lo, hi] = [Math.min(lo, values[i]), Math.max(hi, values[i])];
  return [lo, hi];
}

/** Bitwise equality of typed arrays; vitest's toEqual walks large arrays element by element and takes seconds. */
export function sameArray(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
