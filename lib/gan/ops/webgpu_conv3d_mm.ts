// A 3-D convolution and its input gradient for webgpu as one tiled implicit-GEMM shader each: no copy of the input,
// the matrix rows and columns are read from x (or dy) and the filter where they lie.
//
//   forward         y [B·T'·H'·W', O]  = X[rows: output positions, cols: (dt, dh, dw, c)] · w [kt·kh·kw·C, O]
//   input gradient  dx [B·T·H·W, C]    = Σ over phases of DY[rows, cols: (jt, jh, jw, o)] · wᵀ
//
// The input gradient is split by phase, as a strided transposed convolution should be: along an axis of stride s and
// padding p, input position t = s·i + a only receives from filter taps d ≡ (t + p) mod s, one tap in s. Each of the
// st·sh·sw phases (workgroup z) is a dense GEMM over its own output positions and its ⌈k/s⌉ taps per axis, so no
// multiply is spent on the zeros that a dilated dy would hold (a stride-2 3-D layer would waste 7 in 8). Together
// the phases write every element of dx once.
//
// Tiles (tilesFor): for 32 or more output channels, 32 rows × 32 channels per workgroup of 8×8 threads, each thread
// 4×4 of them, 32 columns of the shared dimension at a time through workgroup memory: the layout of TF.js's own
// tiled matMul, whose speed on the same adapter is what bench:kernels compares against. Fewer channels get taller,
// narrower tiles. Each thread works out its four rows' coordinates once, not once per step along the shared
// dimension. Where a row's tap falls outside the source (padding, the borders of a 'valid' transposed convolution),
// the shader multiplies a zero: for MoCoGAN's [1, 2, 2]-strided 'valid' layer that is half the input gradient's work.
import * as tf from "@tensorflow/tfjs-core";

type Info = tf.backend_util.Conv3DInfo;
export type Conv3dMode = "forward" | "input";

/** What this file needs of TF.js's WebGPUBackend. */
export interface WebgpuRunner {
  runWebGPUProgram(program: object, inputs: tf.TensorInfo[], dtype: tf.DataType, uniforms: Array<{ type: string; data: number[] }>): tf.TensorInfo;
  disposeData(dataId: tf.DataId): boolean;
}

/**
 * A workgroup's tile: up to 64 threads, each 4 rows × colsPerThread output channels. Narrow outputs (a layer's few
 * channels) get narrow, tall tiles, and short ones (a filter gradient's few rows) fewer threads, so no thread
 * computes outputs that do not exist; the shared-dimension step k shrinks as the tile grows, keeping A's tile at
 * 8 KiB of workgroup memory (WebGPU guarantees 16).
 */
export interface Tiles {
  m: number;
  n: number;
  k: number;
  threadsX: number;
  threadsY: number;
  colsPerThread: number;
}

export function tilesFor(rows: number, n: number): Tiles {
  const colsPerThread = n < 4 ? 1 : 4;
  const threadsX = colsPerThread === 1 ? 1 : Math.min(8, 2 ** Math.floor(Math.log2(n / 4)));
  const threadsY = Math.min(64 / threadsX, 2 ** Math.ceil(Math.log2(Math.ceil(rows / 4))));
  const m = 4 * threadsY;
  return { m, n: colsPerThread * threadsX, k: Math.min(32, 2048 / m), threadsX, threadsY, colsPerThread };
}

/** WGSL: workgroup memory for one step's tiles, A [m, k] and B [k, n]. */
export const tileMemory = (t: Tiles) => `
  var<workgroup> tileA : array<array<f32, ${t.k}>, ${t.m}>;
  var<workgroup> tileB : array<array<f32, ${t.n}>, ${t.k}>;`;

/**
 * WGSL: once a step's tiles are loaded, each thread adds the products of its 4 rows of A and colsPerThread columns
 * of B (at localRow, localCol) to acc; barriers on both sides, so the next step's loads wait for this one.
 */
export function tileProduct(t: Tiles): string {
  const bRow = t.colsPerThread === 4
    ? "vec4<f32>(tileB[k][localCol], tileB[k][localCol + 1], tileB[k][localCol + 2], tileB[k][localCol + 3])"
    : "vec4<f32>(tileB[k][localCol], 0.0, 0.0, 0.0)";
  return `
      workgroupBarrier();
      for (var k = 0; k < ${t.k}; k++) {
        let b = ${bRow};
        for (var q = 0; q < 4; q++) { acc[q] = fma(vec4<f32>(tileA[localRow + q][k]), b, acc[q]); }
      }
      workgroupBarrier();`;
}

/** Most workgroups WebGPU allows along one dispatch axis. */
export const MAX_GROUPS = 65535;

interface Plan {
  tiles: Tiles;
  outputShape: [number, number];
  dispatch: [number, number, number];
  uniforms: number[];
}

export const ceilDiv = (a: number, b: number) => Math.ceil(a / b);

/** The GEMM's shape and the shader's integer parameters for one call. */
function plan(mode: Conv3dMode, i: Info): Plan {
  const s = [i.strideDepth, i.strideHeight, i.strideWidth];
  const p = [i.padInfo.front, i.padInfo.top, i.padInfo.left];
  const k = [i.filterDepth, i.filterHeight, i.filterWidth];
  const inDims = [i.inDepth, i.inHeight, i.inWidth];
  const outDims = [i.outDepth, i.outHeight, i.outWidth];
  const forward = mode === "forward";
  // Source: what the rows gather from (x, or dy). Grid: the row positions of one phase. Taps: columns per channel.
  const src = forward ? [...inDims, i.inChannels] : [...outDims, i.outChannels];
  const dst = forward ? [...outDims, i.outChannels] : [...inDims, i.inChannels];
  const grid = forward ? outDims : inDims.map((n, d) => ceilDiv(n, s[d]));
  const taps = forward ? k : k.map((n, d) => ceilDiv(n, s[d]));
  const m = i.batchSize * grid[0] * grid[1] * grid[2];
  const kDim = taps[0] * taps[1] * taps[2] * src[3];
  const n = dst[3];
  const phases = forward ? 1 : s[0] * s[1] * s[2];
  const tiles = tilesFor(m, n);
  return {
    tiles,
    outputShape: [i.batchSize * dst[0] * dst[1] * dst[2], n],
    dispatch: [ceilDiv(n, tiles.n), ceilDiv(m, tiles.m), phases],
    uniforms: [...src, ...dst.slice(0, 3), ...grid, ...s, ...p, ...k, taps[1], taps[2], m, kDim, n],
  };
}

const UNIFORMS = [
  "srcT", "srcH", "srcW", "srcC", "dstT", "dstH", "dstW", "gridT", "gridH", "gridW",
  "strT", "strH", "strW", "padT", "padH", "padW", "kT", "kH", "kW", "tapH", "tapW", "dimM", "dimK", "dimN",
].map((name) => `${name} : i32,`).join(" ");

/**
 * Per mode, along each axis: the phase of workgroup z (phaseOf), where grid row i starts reading the source
 * (rowBase), where it writes (rowOut), how many grid rows the phase has (rowCount), which filter tap a column's tap
 * index j is (realTap), the sign of j in the source coordinate (SIGN), and element (k, n) of the GEMM's B (readB).
 */
function modeSnippet(mode: Conv3dMode): string {
  if (mode === "forward") {
    return `
  fn phaseOf(z : i32) -> vec3<i32> { return vec3<i32>(0); }
  fn rowBase(i : vec3<i32>, r : vec3<i32>) -> vec3<i32> { return i * strides() - pads(); }
  fn rowOut(i : vec3<i32>, r : vec3<i32>) -> vec3<i32> { return i; }
  fn rowCount(r : vec3<i32>) -> vec3<i32> { return grid(); }
  fn realTap(j : vec3<i32>, r : vec3<i32>) -> vec3<i32> { return j; }
  const SIGN = 1;
  // w [kt, kh, kw, C, O] is already B [K, N].
  fn readB(k : i32, n : i32, r : vec3<i32>) -> f32 {
    if (k < uniforms.dimK && n < uniforms.dimN) { return W[k * uniforms.dimN + n]; }
    return 0.0;
  }`;
  }
  return `
  fn phaseOf(z : i32) -> vec3<i32> {
    return vec3<i32>(z / (uniforms.strH * uniforms.strW), (z / uniforms.strW) % uniforms.strH, z % uniforms.strW);
  }
  // Phase r holds the positions t = s·i + a with (t + p) mod s = r; they read dy at i + e - j through tap r + s·j.
  fn residue(r : vec3<i32>) -> vec3<i32> { return ((r - pads()) % strides() + strides()) % strides(); }
  fn rowBase(i : vec3<i32>, r : vec3<i32>) -> vec3<i32> { return i + (residue(r) + pads() - r) / strides(); }
  fn rowOut(i : vec3<i32>, r : vec3<i32>) -> vec3<i32> { return strides() * i + residue(r); }
  fn rowCount(r : vec3<i32>) -> vec3<i32> {
    return (vec3<i32>(uniforms.dstT, uniforms.dstH, uniforms.dstW) - residue(r) + strides() - vec3<i32>(1)) / strides();
  }
  fn realTap(j : vec3<i32>, r : vec3<i32>) -> vec3<i32> { return r + strides() * j; }
  const SIGN = -1;
  // B: w [kt, kh, kw, C, O] read as wᵀ, row (tap, o) and column c, for the phase's taps only.
  fn readB(k : i32, n : i32, r : vec3<i32>) -> f32 {
    let tj = tapOf(k);
    let tap = realTap(tj.xyz, r);
    if (k < uniforms.dimK && n < uniforms.dimN && all(tap < kernelDims())) {
      return W[(((tap.x * uniforms.kH + tap.y) * uniforms.kW + tap.z) * uniforms.dimN + n) * uniforms.srcC + tj.w];
    }
    return 0.0;
  }`;
}

function shader(mode: Conv3dMode, t: Tiles): string {
  return `
  fn strides() -> vec3<i32> { return vec3<i32>(uniforms.strT, uniforms.strH, uniforms.strW); }
  fn pads() -> vec3<i32> { return vec3<i32>(uniforms.padT, uniforms.padH, uniforms.padW); }
  fn grid() -> vec3<i32> { return vec3<i32>(uniforms.gridT, uniforms.gridH, uniforms.gridW); }
  fn kernelDims() -> vec3<i32> { return vec3<i32>(uniforms.kT, uniforms.kH, uniforms.kW); }
  fn srcDims() -> vec3<i32> { return vec3<i32>(uniforms.srcT, uniforms.srcH, uniforms.srcW); }
  ${modeSnippet(mode)}

  // Column k of the GEMM: a tap index (jt, jh, jw) and a source channel.
  fn tapOf(k : i32) -> vec4<i32> {
    let tap = k / uniforms.srcC;
    return vec4<i32>(tap / (uniforms.tapH * uniforms.tapW), (tap / uniforms.tapW) % uniforms.tapH, tap % uniforms.tapW, k - tap * uniforms.srcC);
  }
${tileMemory(t)}

  fn main() {
    let r = phaseOf(i32(workgroupId.z));
    let count = rowCount(r);
    let localRow = i32(localId.y) * 4;
    let localCol = i32(localId.x) * ${t.colsPerThread};
    let colStart = i32(workgroupId.x) * ${t.n};
    // This thread's four rows: the batch's offset in the source, their base coordinates, and their output offsets
    // (-1 where a row lies past the grid or the phase).
    var srcBatch : array<i32, 4>;
    var base : array<vec3<i32>, 4>;
    var outRow : array<i32, 4>;
    for (var q = 0; q < 4; q++) {
      let row = i32(workgroupId.y) * ${t.m} + localRow + q;
      let g = grid();
      let b = row / (g.x * g.y * g.z);
      let rest = row - b * g.x * g.y * g.z;
      let i = vec3<i32>(rest / (g.y * g.z), (rest / g.z) % g.y, rest % g.z);
      srcBatch[q] = b * uniforms.srcT;
      base[q] = rowBase(i, r);
      let o = rowOut(i, r);
      outRow[q] = select(-1, ((b * uniforms.dstT + o.x) * uniforms.dstH + o.y) * uniforms.dstW + o.z, row < uniforms.dimM && all(i < count));
    }
    var acc : array<vec4<f32>, 4>;
    for (var k0 = 0; k0 < uniforms.dimK; k0 += ${t.k}) {
      // A: this thread's four rows, every ${t.threadsX}th column of the tile.
      for (var c = i32(localId.x); c < ${t.k}; c += ${t.threadsX}) {
        let k = k0 + c;
        let tj = tapOf(k);
        let tapOk = k < uniforms.dimK && all(realTap(tj.xyz, r) < kernelDims());
        for (var q = 0; q < 4; q++) {
          let at = base[q] + SIGN * tj.xyz;
          var v = 0.0;
          if (tapOk && outRow[q] >= 0 && all(at >= vec3<i32>(0)) && all(at < srcDims())) {
            v = x[(((srcBatch[q] + at.x) * uniforms.srcH + at.y) * uniforms.srcW + at.z) * uniforms.srcC + tj.w];
          }
          tileA[localRow + q][c] = v;
        }
      }
      // B: the whole tile, shared among the workgroup's threads.
      for (var e = i32(localIndex); e < ${t.k * t.n}; e += ${t.threadsX * t.threadsY}) {
        tileB[e / ${t.n}][e % ${t.n}] = readB(k0 + e / ${t.n}, colStart + e % ${t.n}, r);
      }${tileProduct(t)}
    }
    for (var q = 0; q < 4; q++) {
      if (outRow[q] < 0) { continue; }
      for (var c = 0; c < ${t.colsPerThread}; c++) {
        let n = colStart + localCol + c;
        if (n < uniforms.dimN) { result[outRow[q] * uniforms.dimN + n] = acc[q][c]; }
      }
    }
  }`;
}

class Conv3dMMProgram {
  variableNames = ["x", "W"];
  uniforms = UNIFORMS;
  dispatchLayout = { x: [1], y: [0] };
  workgroupSize: [number, number, number];
  shaderKey: string;
  constructor(
    readonly mode: Conv3dMode,
    readonly tiles: Tiles,
    readonly outputShape: number[],
    public dispatch: [number, number, number],
  ) {
    this.workgroupSize = [tiles.threadsX, tiles.threadsY, 1];
    this.shaderKey = `zoetropeConv3dMM_${mode}_${tiles.m}_${tiles.n}_${tiles.k}`;
  }
  getUserCode(): string {
    return shader(this.mode, this.tiles);
  }
}

/** Integer uniforms as runWebGPUProgram takes them, one entry per declared uniform. */
export const intUniforms = (values: number[]) => values.map((v) => ({ type: "int32", data: [v] }));

/** Whether one dispatch can cover the call (WebGPU caps the workgroups along each axis). */
export function fitsOneDispatch(mode: Conv3dMode, info: Info): boolean {
  return plan(mode, info).dispatch.every((d) => d <= MAX_GROUPS);
}

/**
 * Runs the shader: `src` is x (forward) or dy (input gradient), `filter` is w [kt, kh, kw, C, O]. Returns y or dx
 * as a flat [positions, channels] tensor on the backend; the caller reshapes it.
 */
export function runConv3dMM(backend: WebgpuRunner, mode: Conv3dMode, src: tf.TensorInfo, filter: tf.TensorInfo, info: Info): tf.TensorInfo {
  const { tiles, outputShape, dispatch, uniforms } = plan(mode, info);
  const program = new Conv3dMMProgram(mode, tiles, outputShape, dispatch);
  return backend.runWebGPUProgram(program, [src, filter], "float32", intUniforms(uniforms));
}
