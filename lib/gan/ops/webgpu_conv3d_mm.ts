// The forward pass of a 3-D convolution for webgpu as one tiled implicit-GEMM shader: no copy of the input, the
// matrix rows and columns are read from x and the filter where they lie.
//
//   y [B·T'·H'·W', O] = X[rows: output positions, cols: (dt, dh, dw, c)] · w [kt·kh·kw·C, O]
//
// Tiles (tilesFor): for 32 or more output channels, 32 rows × 32 channels per workgroup of 8×8 threads, each thread
// 4×4 of them, 32 columns of the shared dimension at a time through workgroup memory: the layout of TF.js's own
// tiled matMul, whose speed on the same adapter is what bench:kernels compares against. Fewer channels get taller,
// narrower tiles. Each thread works out its four rows' coordinates once, not once per step along the shared
// dimension. Where a row's tap falls outside x (padding), the shader multiplies a zero.
import * as tf from "@tensorflow/tfjs-core";

type Info = tf.backend_util.Conv3DInfo;

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
function plan(i: Info): Plan {
  const m = i.batchSize * i.outDepth * i.outHeight * i.outWidth;
  const kDim = i.filterDepth * i.filterHeight * i.filterWidth * i.inChannels;
  const n = i.outChannels;
  const tiles = tilesFor(m, n);
  return {
    tiles,
    outputShape: [m, n],
    dispatch: [ceilDiv(n, tiles.n), ceilDiv(m, tiles.m), 1],
    uniforms: [
      i.inDepth, i.inHeight, i.inWidth, i.inChannels, i.outDepth, i.outHeight, i.outWidth,
      i.strideDepth, i.strideHeight, i.strideWidth, i.padInfo.front, i.padInfo.top, i.padInfo.left,
      i.filterHeight, i.filterWidth, m, kDim, n,
    ],
  };
}

const UNIFORMS = [
  "inT", "inH", "inW", "inC", "outT", "outH", "outW", "strT", "strH", "strW", "padT", "padH", "padW",
  "kH", "kW", "dimM", "dimK", "dimN",
].map((name) => `${name} : i32,`).join(" ");

function shader(t: Tiles): string {
  return `${tileMemory(t)}

  fn main() {
    let localRow = i32(localId.y) * 4;
    let localCol = i32(localId.x) * ${t.colsPerThread};
    let colStart = i32(workgroupId.x) * ${t.n};
    let inDims = vec3<i32>(uniforms.inT, uniforms.inH, uniforms.inW);
    // This thread's four rows (output positions): the batch's offset in x, where their taps start in x, and their
    // offsets in y (-1 past the last row).
    var inBatch : array<i32, 4>;
    var base : array<vec3<i32>, 4>;
    var outRow : array<i32, 4>;
    for (var q = 0; q < 4; q++) {
      let row = i32(workgroupId.y) * ${t.m} + localRow + q;
      let perBatch = uniforms.outT * uniforms.outH * uniforms.outW;
      let b = row / perBatch;
      let rest = row - b * perBatch;
      let o = vec3<i32>(rest / (uniforms.outH * uniforms.outW), (rest / uniforms.outW) % uniforms.outH, rest % uniforms.outW);
      inBatch[q] = b * uniforms.inT;
      base[q] = o * vec3<i32>(uniforms.strT, uniforms.strH, uniforms.strW) - vec3<i32>(uniforms.padT, uniforms.padH, uniforms.padW);
      outRow[q] = select(-1, row, row < uniforms.dimM);
    }
    var acc : array<vec4<f32>, 4>;
    for (var k0 = 0; k0 < uniforms.dimK; k0 += ${t.k}) {
      // A: this thread's four rows, every ${t.threadsX}th column (a tap and an input channel) of the tile.
      for (var c = i32(localId.x); c < ${t.k}; c += ${t.threadsX}) {
        let k = k0 + c;
        let tapIndex = k / uniforms.inC;
        let channel = k - tapIndex * uniforms.inC;
        let tap = vec3<i32>(tapIndex / (uniforms.kH * uniforms.kW), (tapIndex / uniforms.kW) % uniforms.kH, tapIndex % uniforms.kW);
        for (var q = 0; q < 4; q++) {
          let at = base[q] + tap;
          var v = 0.0;
          if (k < uniforms.dimK && outRow[q] >= 0 && all(at >= vec3<i32>(0)) && all(at < inDims)) {
            v = x[(((inBatch[q] + at.x) * uniforms.inH + at.y) * uniforms.inW + at.z) * uniforms.inC + channel];
          }
          tileA[localRow + q][c] = v;
        }
      }
      // B: the whole tile of w [kt·kh·kw·C, O], shared among the workgroup's threads.
      for (var e = i32(localIndex); e < ${t.k * t.n}; e += ${t.threadsX * t.threadsY}) {
        let k = k0 + e / ${t.n};
        let n = colStart + e % ${t.n};
        var v = 0.0;
        if (k < uniforms.dimK && n < uniforms.dimN) { v = W[k * uniforms.dimN + n]; }
        tileB[e / ${t.n}][e % ${t.n}] = v;
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
    readonly tiles: Tiles,
    readonly outputShape: number[],
    public dispatch: [number, number, number],
  ) {
    this.workgroupSize = [tiles.threadsX, tiles.threadsY, 1];
    this.shaderKey = `zoetropeConv3dMM_${tiles.m}_${tiles.n}_${tiles.k}`;
  }
  getUserCode(): string {
    return shader(this.tiles);
  }
}

/** Integer uniforms as runWebGPUProgram takes them, one entry per declared uniform. */
export const intUniforms = (values: number[]) => values.map((v) => ({ type: "int32", data: [v] }));

/** Whether one dispatch can cover the call (WebGPU caps the workgroups along each axis). */
export function fitsOneDispatch(info: Info): boolean {
  return plan(info).dispatch.every((d) => d <= MAX_GROUPS);
}

/** y of conv3d(x, w), w [kt, kh, kw, C, O], as a flat [positions, O] tensor on the backend; the caller reshapes it. */
export function conv3dForwardMM(backend: WebgpuRunner, x: tf.TensorInfo, filter: tf.TensorInfo, info: Info): tf.TensorInfo {
  const { tiles, outputShape, dispatch, uniforms } = plan(info);
  const program = new Conv3dMMProgram(tiles, outputShape, dispatch);
  return backend.runWebGPUProgram(program, [x, filter], "float32", intUniforms(uniforms));
}
