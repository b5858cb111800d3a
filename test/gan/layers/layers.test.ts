import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { Conv2d, Conv2dTranspose, Conv3d, Conv3dTranspose, Dense, GruCell, ParamStore, leakyRelu, upsampleNearest2d, upsampleNearest3d } from "@/lib/gan/layers";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const store = () => ParamStore.root(5, "t");
const rand = (shape: number[]) => tf.randomNormal(shape, 0, 1, "float32", 1);

describe("layer output shapes", () => {
  it("dense: [N, in] → [N, out]", () => {
    const s = store();
    const y = new Dense(s, "fc", 6, 3).apply(rand([4, 6]) as tf.Tensor2D);
    expect(y.shape).toEqual([4, 3]);
    s.dispose();
  });

  it("conv2d: same, valid and symmetric padding, with strides", () => {
    const s = store();
    const x = rand([2, 16, 16, 3]) as tf.Tensor4D;
    expect(new Conv2d(s, "a", 3, 5, { kernel: 4, strides: 2, pad: "same" }).apply(x).shape).toEqual([2, 8, 8, 5]);
    expect(new Conv2d(s, "b", 3, 5, { kernel: 4, pad: "valid" }).apply(x).shape).toEqual([2, 13, 13, 5]);
    expect(new Conv2d(s, "c", 3, 5, { kernel: 4, strides: 2, pad: 1 }).apply(x).shape).toEqual([2, 8, 8, 5]);
    s.dispose();
  });

  it("conv2dTranspose: doubles with k4 s2, and works as a 1-D temporal deconv", () => {
    const s = store();
    const up = new Conv2dTranspose(s, "up", 3, 2, { kernel: 4, strides: 2, pad: "same" });
    expect(up.apply(rand([2, 4, 4, 3]) as tf.Tensor4D).shape).toEqual([2, 8, 8, 2]);
    const valid = new Conv2dTranspose(s, "v", 3, 2, { kernel: 4, pad: "valid" }); // 1×1 → 4×4 (DCGAN stem)
    expect(valid.apply(rand([2, 1, 1, 3]) as tf.Tensor4D).shape).toEqual([2, 4, 4, 2]);
    const temporal = new Conv2dTranspose(s, "t", 3, 7, { kernel: [4, 1], strides: [2, 1], pad: "same" });
    expect(temporal.apply(rand([2, 4, 1, 3]) as tf.Tensor4D).shape).toEqual([2, 8, 1, 7]);
    s.dispose();
  });

  it("conv3d: same padding, PyTorch-style (0, 1, 1) padding", () => {
    const s = store();
    const x = rand([2, 8, 16, 16, 1]) as tf.Tensor5D;
    expect(new Conv3d(s, "a", 1, 4, { kernel: 4, strides: 2 }).apply(x).shape).toEqual([2, 4, 8, 8, 4]);
    const moco = new Conv3d(s, "b", 1, 4, { kernel: 4, strides: [1, 2, 2], pad: [0, 1, 1] });
    expect(moco.apply(x).shape).toEqual([2, 5, 8, 8, 4]);
    s.dispose();
  });

  it("conv3dTranspose: doubles T, H, W; time stride 1 keeps T", () => {
    const s = store();
    const x = rand([2, 2, 4, 4, 3]) as tf.Tensor5D;
    expect(new Conv3dTranspose(s, "a", 3, 2, { kernel: 4, strides: 2 }).apply(x).shape).toEqual([2, 4, 8, 8, 2]);
    expect(new Conv3dTranspose(s, "b", 3, 2, { kernel: 4, strides: [1, 2, 2] }).apply(x).shape).toEqual([2, 2, 8, 8, 2]);
    s.dispose();
  });

  it("adds a rank-5 bias per channel", () => {
    const s = store();
    const conv = new Conv3d(s, "c", 1, 3, { kernel: 1 });
    conv.w.variable.assign(tf.zeros([1, 1, 1, 1, 3]));
    conv.b!.assign(tf.tensor1d([1, 2, 3]));
    const y = conv.apply(tf.ones([1, 2, 2, 2, 1]) as tf.Tensor5D);
    expect(Array.from(tf.mean(y, [0, 1, 2, 3]).dataSync())).toEqual([1, 2, 3]);
    s.dispose();
  });

  it("GRU cell: step and unroll shapes, and a longer unroll extends a shorter one", () => {
    const s = store();
    const gru = new GruCell(s, "gru", 5, 4);
    const h0 = rand([3, 4]) as tf.Tensor2D;
    expect(gru.step(rand([3, 5]) as tf.Tensor2D, h0).shape).toEqual([3, 4]);
    const xs = rand([3, 6, 5]) as tf.Tensor3D;
    const long = gru.unroll(xs, h0);
    const short = gru.unroll(xs, h0, 3);
    expect(long.shape).toEqual([3, 6, 4]);
    expect(short.shape).toEqual([3, 3, 4]);
    const prefix = tf.slice(long, [0, 0, 0], [3, 3, 4]);
    expect(tf.max(tf.abs(tf.sub(prefix, short))).dataSync()[0]).toBeLessThan(1e-6);
    expect(() => gru.unroll(xs, h0, 7)).toThrow();
    s.dispose();
  });

  it("nearest upsampling repeats pixels, and its gradient sums them back", () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    expect(Array.from(upsampleNearest2d(x).dataSync())).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    expect(upsampleNearest3d(rand([2, 2, 3, 3, 2]) as tf.Tensor5D, [2, 2, 2]).shape).toEqual([2, 4, 6, 6, 2]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(upsampleNearest2d(v as tf.Tensor4D, 3)))(rand([2, 2, 2, 1]));
    expect(Array.from(g.dataSync())).toEqual(new Array(8).fill(9));
  });
});

describe("leakyRelu", () => {
  it("matches max(x, a·x) and has a second derivative (zero) everywhere", () => {
    const x = tf.tensor1d([-2, -0.5, 0.5, 3]);
    expect(Array.from(leakyRelu(x, 0.2).dataSync())).toEqual(Array.from(tf.leakyRelu(x, 0.2).dataSync()));
    const d1 = (v: tf.Tensor) => tf.grad((u: tf.Tensor) => tf.sum(leakyRelu(u, 0.2)))(v);
    const slopes = Array.from(d1(x).dataSync());
    [0.2, 0.2, 1, 1].forEach((s, i) => expect(slopes[i]).toBeCloseTo(s, 6));
    const d2 = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(d1(v), v)))(x); // d/dx Σ x·f'(x) = f'(x) + x·f''(x) = f'(x)
    expect(Array.from(d2.dataSync())).toEqual(slopes);
  });
});
