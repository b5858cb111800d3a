// The filter gradient of a 3-D convolution for webgpu as one tiled implicit-GEMM shader, split along its long sum.
//
//   dw [kt·kh·kw·C, O] = X[rows: (dt, dh, dw, c), cols: output positions] · dy [positions, O]
//
// Its output is small (a filter) and its shared dimension long (every output position of the batch), so one GEMM
// would give a GPU a handful of workgroups, each walking tens of thousands of positions. The positions are split
// into chunks (workgroup z), each chunk's product written apart, and the chunks summed after: enough workgroups to
// fill a GPU, at the price of one small sum. Rows gather from x where they lie (no copy of the input), as in
// webgpu_conv3d_mm.ts, whose tile shapes this shares.
import * as tf from "@tensorflow/tfjs-core";
import { ceilDiv, intUniforms, MAX_GROUPS, tileMemory, tileProduct, tilesFor, type Tiles, type WebgpuRunner } from "./webgpu_conv3d_mm";

type Info = tf.backend_util.Conv3DInfo;

/** Workgroups worth having at once; a chunk is never shorter than 8 tile steps. */
const WANTED_GROUPS = 256;
const MIN_STEPS_PER_CHUNK = 8;

interface Plan {
  tiles: Tiles;
  chunks: number;
  dispatch: [number, number, number];
  uniforms: number[];
}

function plan(i: Info): Plan {
  const rows = i.filterDepth * i.filterHeight * i.filterWidth * i.inChannels;
  const n = i.outChannels;
  const positions = i.batchSize * i.outDepth * i.outHeight * i.outWidth;
  const tiles = tilesFor(rows, n);
  const groups = ceilDiv(rows, tiles.m) * ceilDiv(n, tiles.n);
  const most = Math.max(1, Math.floor(positions / (tiles.k * MIN_STEPS_PER_CHUNK)));
  const wanted = Math.min(most, ceilDiv(WANTED_GROUPS, groups), MAX_GROUPS);
  const chunk = ceilDiv(ceilDiv(positions, wanted), tiles.k) * tiles.k; // whole tile steps
  const chunks = ceilDiv(positions, chunk);
  return {
    tiles,
    chunks,
    dispatch: [ceilDiv(n, tiles.n), ceilDiv(rows, tiles.m), chunks],
    uniforms: [
      i.inDepth, i.inHeight, i.inWidth, i.inChannels, i.outDepth, i.outHeight, i.outWidth,
      i.strideDepth, i.strideHeight, i.strideWidth, i.padInfo.front, i.padInfo.top, i.padInfo.left,
      i.filterHeight, i.filterWidth, rows, positions, n, chunk,
    ],
  };
}

const UNIFORMS = [
  "inT", "inH", "inW", "inC", "outT", "outH", "outW", "strT", "strH", "strW", "padT", "padH", "padW",
  "kH", "kW", "dimM", "dimK", "dimN", "chunk",
].map((name) => `${name} : i32,`).join(" ");

function shader(t: Tiles): string {
  return `${tileMemory(t)}

  fn main() {
    let localRow = i32(localId.y) * 4;
    let localCol = i32(localId.x) * ${t.colsPerThread};
    let colStart = i32(workgroupId.x) * ${t.n};
    let chunk = i32(workgroupId.z);
    let pStart = chunk * uniforms.chunk;
    let pEnd = min(pStart + uniforms.chunk, uniforms.dimK);
    let inDims = vec3<i32>(uniforms.inT, uniforms.inH, uniforms.inW);
    let strides = vec3<i32>(uniforms.strT, uniforms.strH, uniforms.strW);
    let pads = vec3<i32>(uniforms.padT, uniforms.padH, uniforms.padW);
    let outPlane = uniforms.outH * uniforms.outW;
    // This thread's four rows: a filter tap and an input channel each (channel -1 past the last row).
    var tap : array<vec3<i32>, 4>;
    var channel : array<i32, 4>;
    for (var q = 0; q < 4; q++) {
      let m = i32(workgroupId.y) * ${t.m} + localRow + q;
      let tapIndex = m / uniforms.inC;
      tap[q] = vec3<i32>(tapIndex / (uniforms.kH * uniforms.kW), (tapIndex / uniforms.kW) % uniforms.kH, tapIndex % uniforms.kW);
      channel[q] = select(-1, m - tapIndex * uniforms.inC, m < uniforms.dimM);
    }
    var acc : array<vec4<f32>, 4>;
    // The loop runs a whole chunk in every workgroup: its bound must be uniform for the barriers (the last chunk's
    // positions past the end read zeros).
    for (var step = 0; step < uniforms.chunk; step += ${t.k}) {
      let p0 = pStart + step;
      // A: this thread's four rows, every ${t.threadsX}th position of the step.
      for (var c = i32(localId.x); c < ${t.k}; c += ${t.threadsX}) {
        let p = p0 + c;
        let b = p / (uniforms.outT * outPlane);
        let rest = p - b * uniforms.outT * outPlane;
        let base = vec3<i32>(rest / outPlane, (rest / uniforms.outW) % uniforms.outH, rest % uniforms.outW) * strides - pads;
        for (var q = 0; q < 4; q++) {
          let at = base + tap[q];
          var v = 0.0;
          if (p < pEnd && channel[q] >= 0 && all(at >= vec3<i32>(0)) && all(at < inDims)) {
            v = x[(((b * uniforms.inT + at.x) * uniforms.inH + at.y) * uniforms.inW + at.z) * uniforms.inC + channel[q]];
          }
          tileA[localRow + q][c] = v;
        }
      }
      // B: dy's rows for the step, shared among the workgroup's threads.
      for (var e = i32(localIndex); e < ${t.k * t.n}; e += ${t.threadsX * t.threadsY}) {
        let p = p0 + e / ${t.n};
        let n = colStart + e % ${t.n};
        var v = 0.0;
        if (p < pEnd && n < uniforms.dimN) { v = dy[p * uniforms.dimN + n]; }
        tileB[e / ${t.n}][e % ${t.n}] = v;
      }${tileProduct(t)}
    }
    for (var q = 0; q < 4; q++) {
      if (channel[q] < 0) { continue; }
      let m = i32(workgroupId.y) * ${t.m} + localRow + q;
      for (var c = 0; c < ${t.colsPerThread}; c++) {
        let n = colStart + localCol + c;
        if (n < uniforms.dimN) { result[(chunk * uniforms.dimM + m) * uniforms.dimN + n] = acc[q][c]; }
      }
    }
  }`;
}

class Conv3dFilterMMProgram {
  variableNames = ["x", "dy"];
  uniforms = UNIFORMS;
  dispatchLayout = { x: [2], y: [1], z: [0] };
  workgroupSize: [number, number, number];
  shaderKey: string;
  constructor(
    readonly tiles: Tiles,
    readonly outputShape: number[],
    public dispatch: [number, number, number],
  ) {
    this.workgroupSize = [tiles.threadsX, tiles.threadsY, 1];
    this.shaderKey = `zoetropeConv3dFilterMM_${tiles.m}_${tiles.n}_${tiles.k}`;
  }
  getUserCode(): string {
    return shader(this.tiles);
  }
}

/**
 * Sums the chunks' products, [chunks, size] → [size], one thread an element. (TF.js's Sum over a leading axis
 * transposes and then gives every output element a 256-thread workgroup: ten times the shader above.)
 */
class ChunkSumProgram {
  variableNames = ["parts"];
  uniforms = "chunks : i32,";
  dispatchLayout = { x: [0] };
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  shaderKey = "zoetropeChunkSum";
  dispatch: [number, number, number];
  constructor(readonly outputShape: number[]) {
    this.dispatch = [ceilDiv(outputShape[0], 64), 1, 1];
  }
  getUserCode(): string {
    return `
  fn main(index : i32) {
    if (index < uniforms.size) {
      var sum = 0.0;
      for (var c = 0; c < uniforms.chunks; c++) { sum += parts[c * uniforms.size + index]; }
      result[index] = sum;
    }
  }`;
  }
}

/** Whether one dispatch can cover the call (WebGPU caps the workgroups along each axis). */
export function filterFitsOneDispatch(info: Info): boolean {
  return plan(info).dispatch.every((d) => d <= MAX_GROUPS);
}

/**
 * dw of conv3d(x, w) from x and dy, on the backend, its shape left to the caller: the chunks' products as
 * [chunks, kt·kh·kw·C, O] from the shader, then summed (unless there is one chunk).
 */
export function conv3dFilterGradMM(backend: WebgpuRunner, x: tf.TensorInfo, dy: tf.TensorInfo, info: Info): tf.TensorInfo {
  const { tiles, chunks, dispatch, uniforms } = plan(info);
  const rows = info.filterDepth * info.filterHeight * info.filterWidth * info.inChannels;
  const program = new Conv3dFilterMMProgram(tiles, [chunks, rows, info.outChannels], dispatch);
  const parts = backend.runWebGPUProgram(program, [x, dy], "float32", intUniforms(uniforms));
  let sum = parts;
  if (chunks > 1) {
    sum = backend.runWebGPUProgram(new ChunkSumProgram([rows * info.outChannels]), [parts], "float32", intUniforms([chunks]));
    backend.disposeData(parts.dataId);
  }
  return sum;
}
