// Transposes that are a swap of two (merged) axes, as cache-blocked copies.
//
// tfjs-backend-wasm 4.22 transposes with one strided write per element: 29 ms for an [8192, 256] float32 matrix
// (a 4×4×4×128 → 256 filter, transposed in every conv3d input gradient), where 16×16 blocks take 2.4 ms in plain JS.
// Most transposes a training step makes are such swaps once size-1 axes are dropped and neighbouring axes that
// stay together are merged: [B, R, C] → [B, C, R].

/** `shape` and `perm` with size-1 axes dropped and axes that stay neighbours merged. */
export function simplifyPermutation(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const kept = perm.filter((axis) => shape[axis] !== 1); // output order of the axes that matter
  // Runs of axes that follow each other in the output and in the input become one axis.
  const runs: number[][] = [];
  for (const axis of kept) {
    const last = runs.at(-1);
    if (last != null && last.at(-1)! + 1 === axis) last.push(axis);
    else runs.push([axis]);
  }
  const byInputOrder = [...runs].sort((a, b) => a[0] - b[0]);
  return {
    shape: byInputOrder.map((run) => run.reduce((n, axis) => n * shape[axis], 1)),
    perm: runs.map((run) => byInputOrder.indexOf(run)),
  };
}

/** y[b, c, r] = x[b, r, c] for `batch` matrices of rows × cols, in 16×16 blocks (writes run along output rows). */
export function transposeBatched(x: Float32Array, batch: number, rows: number, cols: number, y: Float32Array): void {
  const B = 16;
  for (let b = 0, base = 0; b < batch; b++, base += rows * cols) {
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r0 = 0; r0 < rows; r0 += B) {
        const r1 = Math.min(rows, r0 + B);
        for (let c = c0; c < c1; c++) {
          for (let r = r0, src = base + r0 * cols + c, dst = base + c * rows + r0; r < r1; r++, src += cols, dst++) y[dst] = x[src];
        }
      }
    }
  }
}
