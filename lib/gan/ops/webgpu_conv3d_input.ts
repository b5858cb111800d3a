// The input gradient of a 3-D convolution for webgpu as a direct transposed convolution: one thread for 4
// neighbouring positions of dx (along w) × 4 of its channels.
//
//   dx[b, t, c] = Σ over taps d and output channels o of dy[b, (t + p - d) / s, o] · w[d, c, o],
//                 for the taps d where s divides t + p - d
//
// Split by phase, as a strided transposed convolution should be: along an axis of stride s and padding p, input
// position t only receives from taps d ≡ (t + p) mod s, one tap in s. Each of the st·sh·sw phases (workgroup z)
// walks its own positions and its ⌈k/s⌉ taps per axis, so no multiply is spent on the zeros that a dilated dy would
// hold (a stride-2 3-D layer would waste 7 in 8), and a tap that falls outside dy (padding, the borders of a 'valid'
// convolution) is skipped, not multiplied. dy and w are read where they lie, channels four at a time.
//
// Why not the tiled GEMM of webgpu_conv3d_mm.ts: its rows here gather from dy with tap arithmetic for each element,
// and a narrow dx (a first layer's 1 channel) makes it a matrix-vector product whose loads are used once each.
// Timed against that GEMM at the models' shapes, on SwiftShader: 2–3× faster at 8–16 channels and 5–6× into 1
// channel. A GPU's workgroup memory may favour the GEMM at wider layers; bench:kernels on one will tell.
import * as tf from "@tensorflow/tfjs-core";
import { ceilDiv, intUniforms, MAX_GROUPS, type WebgpuRunner } from "./webgpu_conv3d_mm";

type Info = tf.backend_util.Conv3DInfo;

/** Positions of dx per thread, neighbours along w; channels per thread are min(4, C). */
const POSITIONS = 4;
const WORKGROUP = 64;

function plan(i: Info) {
  const s = [i.strideDepth, i.strideHeight, i.strideWidth];
  const k = [i.filterDepth, i.filterHeight, i.filterWidth];
  const inDims = [i.inDepth, i.inHeight, i.inWidth];
  const grid = inDims.map((n, d) => ceilDiv(n, s[d])); // positions of one phase, at most
  const taps = k.map((n, d) => ceilDiv(n, s[d])); // taps of one phase, at most
  const channels = Math.min(4, i.inChannels);
  const blocksW = ceilDiv(grid[2], POSITIONS);
  const blocksC = ceilDiv(i.inChannels, channels);
  const threads = i.batchSize * grid[0] * grid[1] * blocksW * blocksC;
  return {
    channels,
    dispatch: [ceilDiv(threads, WORKGROUP), 1, s[0] * s[1] * s[2]] as [number, number, number],
    uniforms: [
      i.outDepth, i.outHeight, i.outWidth, i.outChannels, i.inDepth, i.inHeight, i.inWidth, i.inChannels, ...grid, ...s,
      i.padInfo.front, i.padInfo.top, i.padInfo.left, ...k, ...taps, blocksW, blocksC, threads,
    ],
  };
}

const UNIFORMS = [
  "srcT", "srcH", "srcW", "srcC", "dstT", "dstH", "dstW", "dstC", "gridT", "gridH", "gridW", "strT", "strH", "strW",
  "padT", "padH", "padW", "kT", "kH", "kW", "tapT", "tapH", "tapW", "blocksW", "blocksC", "threads",
].map((name) => `${name} : i32,`).join(" ");

/**
 * WGSL for `channels` (1–4) channels of dx per thread; dy is [B, T', H', W', O] and W is [kt, kh, kw, C, O].
 * `wholeVec4s`: O is a multiple of 4, so dy's and w's channel vectors need no check at their end.
 */
function shader(channels: number, wholeVec4s: boolean): string {
  const read = (name: string) => wholeVec4s
    ? `vec4<f32>(${name}[at], ${name}[at + 1], ${name}[at + 2], ${name}[at + 3])`
    : `vec4<f32>(${name}[at], select(0.0, ${name}[at + 1], o + 1 < uniforms.srcC), select(0.0, ${name}[at + 2], o + 2 < uniforms.srcC),
          select(0.0, ${name}[at + 3], o + 3 < uniforms.srcC))`;
  return `
  fn main() {
    let id = i32(globalId.x);
    if (id >= uniforms.threads) { return; }
    let strides = vec3<i32>(uniforms.strT, uniforms.strH, uniforms.strW);
    let pads = vec3<i32>(uniforms.padT, uniforms.padH, uniforms.padW);
    // The phase of workgroup z: its taps r + s·j reach the positions t with (t + p) mod s = r, from residue on.
    let z = i32(globalId.z);
    let r = vec3<i32>(z / (uniforms.strH * uniforms.strW), (z / uniforms.strW) % uniforms.strH, z % uniforms.strW);
    let residue = ((r - pads) % strides + strides) % strides;
    let count = (vec3<i32>(uniforms.dstT, uniforms.dstH, uniforms.dstW) - residue + strides - vec3<i32>(1)) / strides;
    // This thread: channels c0… of the phase's grid positions i… (neighbouring threads share positions, so dy).
    let c0 = (id % uniforms.blocksC) * ${channels};
    let block = id / uniforms.blocksC;
    let perBatch = uniforms.gridT * uniforms.gridH * uniforms.blocksW;
    let b = block / perBatch;
    let rest = block - b * perBatch;
    let i = vec3<i32>(rest / (uniforms.gridH * uniforms.blocksW), (rest / uniforms.blocksW) % uniforms.gridH, (rest % uniforms.blocksW) * ${POSITIONS});
    if (any(i >= count)) { return; }
    // Grid position i reads dy at base - j through tap r + s·j.
    let base = i + (residue + pads - r) / strides;
    var acc : array<vec4<f32>, ${POSITIONS}>;
    for (var jt = 0; jt < uniforms.tapT; jt++) {
      let tapT = r.x + uniforms.strT * jt;
      let atT = base.x - jt;
      if (tapT >= uniforms.kT || atT < 0 || atT >= uniforms.srcT) { continue; }
      for (var jh = 0; jh < uniforms.tapH; jh++) {
        let tapH = r.y + uniforms.strH * jh;
        let atH = base.y - jh;
        if (tapH >= uniforms.kH || atH < 0 || atH >= uniforms.srcH) { continue; }
        let dyRow = ((b * uniforms.srcT + atT) * uniforms.srcH + atH) * uniforms.srcW;
        for (var jw = 0; jw < uniforms.tapW; jw++) {
          let tapW = r.z + uniforms.strW * jw;
          if (tapW >= uniforms.kW) { continue; }
          let wRow = ((tapT * uniforms.kH + tapH) * uniforms.kW + tapW) * uniforms.dstC;
          for (var o = 0; o < uniforms.srcC; o += 4) {
            var w : array<vec4<f32>, ${channels}>;
            for (var c = 0; c < ${channels}; c++) {
              if (c0 + c < uniforms.dstC) {
                let at = (wRow + c0 + c) * uniforms.srcC + o;
                w[c] = ${read("W")};
              }
            }
            for (var q = 0; q < ${POSITIONS}; q++) {
              let atW = base.z + q - jw;
              if (atW < 0 || atW >= uniforms.srcW) { continue; }
              let at = (dyRow + atW) * uniforms.srcC + o;
              let d = ${read("dy")};
              for (var c = 0; c < ${channels}; c++) { acc[q][c] += dot(d, w[c]); }
            }
          }
        }
      }
    }
    let out = strides * i + residue;
    for (var q = 0; q < ${POSITIONS}; q++) {
      if (i.z + q >= count.z) { break; }
      let at = (((b * uniforms.dstT + out.x) * uniforms.dstH + out.y) * uniforms.dstW + out.z + uniforms.strW * q) * uniforms.dstC + c0;
      for (var c = 0; c < ${channels}; c++) {
        if (c0 + c < uniforms.dstC) { result[at + c] = acc[q][c]; }
      }
    }
  }`;
}

class Conv3dInputGradProgram {
  variableNames = ["dy", "W"];
  uniforms = UNIFORMS;
  dispatchLayout = { x: [1], y: [0] }; // not flat, so TF.js calls main() and leaves the indexing to us
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  shaderKey: string;
  constructor(
    readonly channels: number,
    readonly wholeVec4s: boolean,
    readonly outputShape: number[],
    public dispatch: [number, number, number],
  ) {
    this.shaderKey = `zoetropeConv3dInput_${channels}_${wholeVec4s}`;
  }
  getUserCode(): string {
    return shader(this.channels, this.wholeVec4s);
  }
}

/** Whether one dispatch can cover the call (WebGPU caps the workgroups along each axis). */
export function inputGradFitsOneDispatch(info: Info): boolean {
  return plan(info).dispatch.every((d) => d <= MAX_GROUPS);
}

/** dx of conv3d(x, w) from dy and w, as a flat [positions, C] tensor on the backend; the caller reshapes it. */
export function conv3dInputGrad(backend: WebgpuRunner, dy: tf.TensorInfo, filter: tf.TensorInfo, info: Info): tf.TensorInfo {
  const { channels, dispatch, uniforms } = plan(info);
  const positions = info.batchSize * info.inDepth * info.inHeight * info.inWidth;
  const program = new Conv3dInputGradProgram(channels, info.outChannels % 4 === 0, [positions, info.inChannels], dispatch);
  return backend.runWebGPUProgram(program, [dy, filter], "float32", intUniforms(uniforms));
}
