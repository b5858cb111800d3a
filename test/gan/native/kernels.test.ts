// Every kernel the native backend runs in oneDNN, at sizes above its small-tensor cut-off and with the broadcasts,
// axes and transposes the models use, against the cpu backend on the same inputs. The gradient check covers the
// small shapes (and finite differences); this covers the large-tensor paths it never reaches.
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "@/lib/gan/backend";
import "@/lib/gan/ops";
import { nativeLimits } from "@/lib/gan/native/elementwise";

/** Deterministic values in [-1, 1) (or (0, 2) when positive), so both backends get identical inputs. */
function data(shape: number[], seed: number, positive = false): { shape: number[]; values: Float32Array } {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  let s = seed * 7919 + 1;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const u = s / 2147483648;
    values[i] = positive ? 0.05 + 1.9 * u : 2 * u - 1;
  }
  return { shape, values };
}

type Inputs = ReturnType<typeof data>[];

/** Runs fn on native and on cpu with the same inputs; returns the largest difference relative to the cpu's scale. */
async function compare(inputs: Inputs, fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<number> {
  const run = async (backend: "native" | "cpu") => {
    await tf.setBackend(backend);
    const xs = inputs.map((d) => tf.tensor(d.values, d.shape));
    const out = tf.tidy(() => [fn(...xs)].flat());
    const values = await Promise.all(out.map(async (t) => ({ shape: t.shape, values: await t.data() })));
    tf.dispose([...xs, ...out]);
    return values;
  };
  const [got, want] = [await run("native"), await run("cpu")];
  expect(got).toHaveLength(want.length);
  let worst = 0;
  want.forEach((w, i) => {
    expect(got[i].shape).toEqual(w.shape);
    let scale = 1e-6;
    for (const v of w.values as Float32Array) if (!Number.isNaN(v)) scale = Math.max(scale, Math.abs(v));
    for (let j = 0; j < w.values.length; j++) {
      const [g, x] = [got[i].values[j], w.values[j]];
      if (Number.isNaN(x)) expect(Number.isNaN(g)).toBe(true);
      else worst = Math.max(worst, Math.abs(g - x) / scale);
    }
  });
  return worst;
}

beforeAll(async () => {
  await initBackend("cpu");
  const info = await initBackend("native");
  expect(info.backend).toBe("native");
});

const BIG = [16, 8, 16, 16, 4]; // 131,072 elements: well above the cut-off

describe("native element-wise kernels", () => {
  const ops: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor]> = [
    ["add", tf.add],
    ["sub", tf.sub],
    ["mul", tf.mul],
    ["div", tf.div],
    ["maximum", tf.maximum],
    ["minimum", tf.minimum],
  ];
  const shapes: Array<[string, number[], number[]]> = [
    ["same shape", BIG, BIG],
    ["scalar second", BIG, []],
    ["per-channel second", BIG, [4]],
    ["broadcast first", [4], BIG],
    ["both broadcast", [16, 1, 16, 1, 4], [1, 8, 1, 16, 1]],
    ["scalar first", [], BIG],
  ];
  it("scalars, with every op on oneDNN", async () => {
    const saved = nativeLimits.minSize;
    nativeLimits.minSize = 1; // a rank-0 tensor must not reach oneDNN as a descriptor without dims
    try {
      for (const [, op] of ops) expect(await compare([data([], 1), data([], 2, true)], op)).toBeLessThan(1e-6);
    } finally {
      nativeLimits.minSize = saved;
    }
  });
  for (const [name, op] of ops) {
    for (const [what, a, b] of shapes) {
      it(`${name}, ${what}`, async () => {
        expect(await compare([data(a, 1), data(b, 2, true)], op)).toBeLessThan(1e-6);
      });
    }
  }

  const unary: Array<[string, (x: tf.Tensor) => tf.Tensor, boolean?]> = [
    ["relu", tf.relu],
    ["tanh", tf.tanh],
    ["sigmoid", tf.sigmoid],
    ["sqrt", tf.sqrt, true],
    ["square", tf.square],
    ["exp", tf.exp],
    ["log", tf.log, true],
    ["abs", tf.abs],
    ["neg", tf.neg],
    ["leaky relu", (x) => tf.leakyRelu(x, 0.2)],
    ["step", (x) => tf.step(x)],
    ["step with alpha", (x) => tf.step(x, 0.25)],
  ];
  for (const [name, op, positive] of unary) {
    it(name, async () => {
      expect(await compare([data(BIG, 3, positive)], op)).toBeLessThan(1e-5); // oneDNN's exp/log/tanh approximate
    });
  }

  it("step with alpha keeps NaN", async () => {
    const d = data(BIG, 4);
    d.values[5] = NaN;
    expect(await compare([d], (x) => tf.step(x, 0.25))).toBe(0);
  });
});

describe("native reductions", () => {
  const cases: Array<[string, number | number[], boolean]> = [
    ["the batch axis", 0, false],
    ["leading axes (a bias gradient)", [0, 1, 2, 3], false],
    ["the last axis, kept", -1, true],
    ["a middle block", [1, 2], false],
    ["every axis", [0, 1, 2, 3, 4], false],
    ["axes apart", [0, 2], true],
  ];
  for (const [what, axis, keepDims] of cases) {
    for (const [name, op] of [["sum", tf.sum], ["mean", tf.mean], ["max", tf.max], ["min", tf.min]] as const) {
      it(`${name} over ${what}`, async () => {
        expect(await compare([data(BIG, 5)], (x) => op(x, axis, keepDims))).toBeLessThan(1e-5);
      });
    }
  }
});

describe("native matrix products", () => {
  const cases: Array<[string, number[], number[], boolean, boolean]> = [
    ["plain", [300, 200], [200, 100], false, false],
    ["transposed A", [200, 300], [200, 100], true, false],
    ["transposed B", [300, 200], [100, 200], false, true],
    ["both transposed", [200, 300], [100, 200], true, true],
    ["batched", [4, 60, 50], [4, 50, 70], false, false],
    ["batched, B shared", [4, 60, 50], [50, 70], false, false],
    ["batched, A shared", [60, 50], [4, 70, 50], false, true],
    ["batch dims broadcast both ways", [2, 1, 30, 20], [1, 3, 20, 10], false, false],
  ];
  for (const [what, a, b, ta, tb] of cases) {
    it(what, async () => {
      expect(await compare([data(a, 6), data(b, 7)], (x, y) => tf.matMul(x, y, ta, tb))).toBeLessThan(1e-5);
    });
  }
});

describe("native convolutions, forward and both gradients", () => {
  const grads = (f: (x: tf.Tensor, w: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, w: tf.Tensor, dy: tf.Tensor) => {
    const { value, grads: g } = tf.valueAndGrads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(f(xx, ww), dy)))([x, w]);
    return [f(x, w), value, ...g];
  };
  it("conv2d, stride 2, same (an image discriminator layer)", async () => {
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, "same");
    expect(await compare([data([32, 32, 32, 3], 8), data([4, 4, 3, 8], 9), data([32, 16, 16, 8], 10)], grads(f))).toBeLessThan(1e-4);
  });
  it("conv2dTranspose, stride 2 (a frame generator layer)", async () => {
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [32, 16, 16, 4], 2, "same");
    expect(await compare([data([32, 8, 8, 8], 11), data([4, 4, 4, 8], 12), data([32, 16, 16, 4], 13)], grads(f))).toBeLessThan(1e-4);
  });
  it("conv3d, stride 2, same, odd size", async () => {
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 2, "same");
    expect(await compare([data([4, 9, 17, 17, 2], 14), data([4, 4, 4, 2, 8], 15), data([4, 5, 9, 9, 8], 16)], grads(f))).toBeLessThan(1e-4);
  });
  it("conv3d, valid (a video discriminator's head)", async () => {
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, 1, "valid");
    expect(await compare([data([16, 4, 4, 4, 16], 17), data([4, 4, 4, 16, 1], 18), data([16, 1, 1, 1, 1], 19)], grads(f))).toBeLessThan(1e-4);
  });
  it("conv3dTranspose, stride 2 (a video generator layer)", async () => {
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.conv3dTranspose(x as tf.Tensor5D, w as tf.Tensor5D, [8, 8, 16, 16, 4], 2, "same");
    expect(await compare([data([8, 4, 8, 8, 8], 20), data([4, 4, 4, 4, 8], 21), data([8, 8, 16, 16, 4], 22)], grads(f))).toBeLessThan(1e-4);
  });
  it("dilated conv2d", async () => {
    const f = (x: tf.Tensor, w: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same", "NHWC", 2);
    expect(await compare([data([4, 20, 20, 3], 23), data([3, 3, 3, 5], 24)], f)).toBeLessThan(1e-4);
  });
});

describe("native Adam step", () => {
  it("three fused updates on native equal TF.js's Adam on cpu", async () => {
    const { FusedAdam } = await import("@/lib/gan/train/adam");
    const run = async (backend: "native" | "cpu") => {
      await tf.setBackend(backend);
      const w = tf.variable(tf.tensor(data([64, 300], 30).values, [64, 300]));
      const opt = backend === "native" ? new FusedAdam(1e-2, 0.5, 0.9) : tf.train.adam(1e-2, 0.5, 0.9);
      for (let s = 0; s < 3; s++) {
        const g = tf.tensor(data([64, 300], 31 + s).values, [64, 300]);
        opt.applyGradients([{ name: w.name, tensor: g }]);
        g.dispose();
      }
      const out = [await w.data(), ...(await Promise.all((await opt.getWeights()).slice(1).map((x) => x.tensor.data())))];
      opt.dispose();
      w.dispose();
      return out;
    };
    const [got, want] = [await run("native"), await run("cpu")];
    want.forEach((w, i) => w.forEach((x, j) => expect(got[i][j]).toBeCloseTo(x, 5)));
  });
});

describe("native slices, pads and segment sums", () => {
  const cases: Array<[string, (x: tf.Tensor) => tf.Tensor | tf.Tensor[]]> = [
    ["slice inside every axis", (x) => tf.slice(x, [1, 2, 3, 1, 1], [5, 4, 9, 7, 2])],
    ["slice of whole trailing axes", (x) => tf.slice(x, [3, 1, 0, 0, 0], [2, 5, -1, -1, -1])],
    ["slice of one element", (x) => tf.slice(x, [1, 1, 1, 1, 1], [1, 1, 1, 1, 1])],
    ["pad of a 3-D conv's input", (x) => tf.pad(x, [[0, 0], [0, 0], [1, 1], [1, 1], [0, 0]])],
    ["pad on every axis with a value", (x) => tf.pad(x, [[1, 0], [2, 1], [0, 3], [1, 1], [2, 2]], 0.5)],
    ["split on a middle axis", (x) => tf.split(x, [3, 1, 12], 2)],
    ["split in equal parts on the last axis", (x) => tf.split(x, 2, -1)],
    ["gather's gradient (a segment sum)", (x) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.gather(v, [3, 0, 3, 7, 15]), 2)))(x)],
  ];
  for (const [what, op] of cases) {
    it(what, async () => {
      expect(await compare([data(BIG, 40)], op)).toBe(0);
    });
  }
});

describe("native transposes, gathers, tiles and unstacks", () => {
  const cases: Array<[string, (x: tf.Tensor) => tf.Tensor | tf.Tensor[]]> = [
    ["transpose by the identity (gather's gradient)", (x) => tf.transpose(x, [0, 1, 2, 3, 4])],
    ["transpose that moves only axes of size 1", (x) => tf.transpose(tf.reshape(x, [16, 1, 8, 16, 16, 1, 4]), [1, 0, 5, 2, 3, 4, 6])],
    ["transpose of the last two axes", (x) => tf.transpose(x, [0, 1, 2, 4, 3])],
    ["transpose to channels first", (x) => tf.transpose(x, [0, 4, 1, 2, 3])],
    ["transpose that reverses every axis", (x) => tf.transpose(x)],
    ["transpose of a matrix", (x) => tf.transpose(tf.reshape(x, [256, 512]))],
    ["gather of frames (axis 0, repeats)", (x) => tf.gather(x, tf.tensor1d([3, 0, 3, 15, 7], "int32"))],
    ["gather on a middle axis", (x) => tf.gather(x, tf.tensor1d([5, 1, 1, 0], "int32"), 2)],
    ["gather on the last axis with 2-D indices", (x) => tf.gather(x, tf.tensor2d([[3, 0], [1, 1]], [2, 2], "int32"), 4)],
    ["tile over a new time axis", (x) => tf.tile(tf.slice(x, [0, 0, 0, 0, 0], [-1, 1, -1, -1, -1]), [1, 16, 1, 1, 1])],
    ["tile on every axis", (x) => tf.tile(x, [2, 1, 3, 1, 2])],
    ["tile of a row over 65,536 rows (a mean's gradient)", (x) => tf.tile(tf.slice(tf.reshape(x, [-1, 64]), [0, 0], [1, 64]), [65536, 1])],
    ["tile of whole copies over leading axes", (x) => tf.tile(tf.slice(x, [0, 0, 0, 0, 0], [1, 1, 1, 16, 4]), [3, 5, 7, 1, 1])],
    ["unstack of a GRU's steps (axis 1)", (x) => tf.unstack(x, 1)],
    ["unstack on the last axis", (x) => tf.unstack(x, 4)],
  ];
  for (const [what, op] of cases) {
    it(what, async () => {
      expect(await compare([data(BIG, 41)], op)).toBe(0);
    });
  }

  it("gather with an index out of range fails as on cpu", async () => {
    await tf.setBackend("native");
    const x = tf.ones([4, 3]);
    expect(() => tf.gather(x, tf.tensor1d([0, 4], "int32"))).toThrow(/index/);
    x.dispose();
  });

  it("a transpose that keeps the order shares the buffer and frees it once", async () => {
    await tf.setBackend("native");
    const before = tf.memory().numBytes;
    const x = tf.tensor(data(BIG, 42).values, BIG);
    const y = tf.tidy(() => tf.transpose(tf.reshape(x, [16, 8, 256, 1, 4]), [0, 1, 2, 4, 3]));
    expect(Array.from(await y.data())).toEqual(Array.from(await x.data()));
    x.dispose();
    expect(Array.from((await y.data()).slice(0, 3))).toEqual(Array.from(data(BIG, 42).values.slice(0, 3)));
    y.dispose();
    expect(tf.memory().numBytes).toBe(before);
  });
});
