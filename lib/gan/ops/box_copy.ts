// Copies of boxes of row-major float arrays, one contiguous run at a time: what Slice, Pad and Tile need, written
// once for the backends whose own versions walk element by element through index arithmetic (the cpu backend's,
// which the native backend inherits, and wasm's above rank 4). Pure JS: runs in Node and in a browser worker.

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export function rowMajor(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Copies n floats from src at `from` to dst at `to`: a loop for short runs, where a subarray costs more than it saves. */
export function copyRun(src: Float32Array, from: number, dst: Float32Array, to: number, n: number): void {
  if (n >= 64) dst.set(src.subarray(from, from + n), to);
  else for (let j = 0; j < n; j++) dst[to + j] = src[from + j];
}

/**
 * Copies the box `size` at `srcStart` of `src` (shaped srcShape) to `dstStart` of `dst` (shaped dstShape), one
 * contiguous run at a time: trailing axes the box spans whole in both arrays merge into the run.
 */
export function copyBox(src: Float32Array, srcShape: readonly number[], srcStart: readonly number[], dst: Float32Array,
  dstShape: readonly number[], dstStart: readonly number[], size: readonly number[]): void {
  const rank = size.length;
  if (sizeOf(size) === 0) return;
  let k = rank - 1; // the run covers axes k.. (whole below k+1)
  while (k > 0 && size[k] === srcShape[k] && size[k] === dstShape[k]) k--;
  const run = sizeOf(size.slice(k));
  const [ss, ds] = [rowMajor(srcShape), rowMajor(dstShape)];
  let srcOff = 0;
  let dstOff = 0;
  for (let i = 0; i < rank; i++) {
    srcOff += srcStart[i] * ss[i];
    dstOff += dstStart[i] * ds[i];
  }
  const rows = sizeOf(size.slice(0, k));
  const index = new Array<number>(k).fill(0);
  for (let r = 0; r < rows; r++) {
    copyRun(src, srcOff, dst, dstOff, run);
    // Odometer over axes k-1 … 0.
    for (let a = k - 1; a >= 0; a--) {
      index[a]++;
      srcOff += ss[a];
      dstOff += ds[a];
      if (index[a] < size[a]) break;
      srcOff -= ss[a] * size[a];
      dstOff -= ds[a] * size[a];
      index[a] = 0;
    }
  }
}

/**
 * Whether tiling x by reps lays whole copies of x end to end: every repeated axis comes before every axis of x
 * longer than 1 (broadcasting a row of per-channel values over a batch, as a mean's gradient does).
 */
export function repeatsWhole(shape: readonly number[], reps: readonly number[]): boolean {
  const lastRepeated = reps.reduce((last, r, i) => (r > 1 ? i : last), -1);
  const firstLong = shape.findIndex((d) => d > 1);
  return firstLong < 0 || lastRepeated < firstLong;
}

/** Fills y with whole copies of x end to end (y.length a multiple of x.length): one copy, then doubling. */
function fillRepeats(x: Float32Array, y: Float32Array): void {
  y.set(x);
  for (let filled = x.length; filled < y.length; filled *= 2) y.copyWithin(filled, 0, Math.min(filled, y.length - filled));
}

/** Tile: y (shaped x's shape times reps) filled with copies of x, whole ones end to end where they lie so. */
export function tileInto(x: Float32Array, shape: readonly number[], reps: readonly number[], y: Float32Array): void {
  if (y.length === 0) return;
  if (repeatsWhole(shape, reps)) return fillRepeats(x, y);
  const outShape = shape.map((d, i) => d * reps[i]);
  const rep = reps.map(() => 0);
  for (let r = 0; r < y.length / x.length; r++) {
    copyBox(x, shape, shape.map(() => 0), y, outShape, rep.map((k, i) => k * shape[i]), shape);
    for (let a = reps.length - 1; a >= 0 && ++rep[a] === reps[a]; a--) rep[a] = 0;
  }
}
