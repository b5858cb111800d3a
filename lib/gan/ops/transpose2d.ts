// Transposes that are a swap of two (merged) axes, as cache-blocked copies.
//
// tfjs-backend-wasm 4.22 transposes with one strided write per element: 29 ms for an [8192, 256] float32 matrix
// (a 4×4×4×128 → 256 filter, transposed in every conv3d input gradient), where 16×16 blocks take 2.4 ms in plain JS.
// Most transposes a training step makes are such swaps once size-1 axes are dropped and neighbouring axes that
// stay together are merged: [B, R, C] → [B, C, R].

/**
 * A permutation reduced to what it really moves: axes of size 1 dropped and input axes that stay next to each other
 * merged. `sizes` are the merged axes' sizes in input order; `order` lists them in output order. (Shared by the
 * native backend's Transpose and wasm's.)
 */
export function reducePermutation(shape: readonly number[], perm: readonly number[]): { sizes: number[]; order: number[] } {
  const kept = shape.map((d, i) => i).filter((i) => shape[i] !== 1); // input axes that matter, in input order
  const rank = new Map(kept.map((axis, r) => [axis, r]));
  const out = perm.filter((p) => shape[p] !== 1).map((p) => rank.get(p)!); // their ranks, in output order
  const groups: number[][] = []; // runs of consecutive input ranks, in output order
  for (const r of out) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1] === r - 1) last.push(r);
    else groups.push([r]);
  }
  const inputOrder = [...groups].sort((a, b) => a[0] - b[0]);
  return {
    sizes: inputOrder.map((g) => g.reduce((n, r) => n * shape[kept[r]], 1)),
    order: groups.map((g) => inputOrder.indexOf(g)),
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
