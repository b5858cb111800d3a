// The metric networks' shapes and input handling, their targets, and the weights' round trip through tf.io.
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "@/lib/gan";
import { countParams } from "@/lib/gan/layers/params";
import { buildMetricNets, toClassifierInput } from "@/lib/gan/metrics/classifier";
import { clipTargets, directionBin, frameTargets, momentFrames } from "@/lib/gan/metrics/targets";
import { loadMetricNets, metricNetsArtifacts, toFloat16 } from "@/lib/gan/metrics/weights";

beforeAll(async () => void (await initBackend("cpu")));

describe("metric networks", () => {
  it("embed clips [B, 16, 32, 32, 1] and frames [N, 32, 32, 1] into 128 features, with the heads' shapes", () => {
    const nets = buildMetricNets({}, 1);
    const x = tf.randomUniform([2, 16, 32, 32, 1], -1, 1) as tf.Tensor5D;
    const f = nets.clip.embed(x);
    const heads = nets.clip.heads(f);
    const g = nets.frame.embed(tf.reshape(x, [32, 32, 32, 1]) as tf.Tensor4D);
    expect(f.shape).toEqual([2, 128]);
    expect(heads.digits.shape).toEqual([2, 10]);
    expect(heads.motion.shape).toEqual([2, 10, 4, 8]);
    expect(g.shape).toEqual([32, 128]);
    expect(nets.frame.logits(g).shape).toEqual([32, 10]);
    // Small enough to check in: < 2 MB as stored (float16) for both.
    expect(countParams(nets.store.entries().values()) * 2).toBeLessThan(2e6);
    tf.dispose([x, f, heads.digits, heads.motion, g]);
    nets.dispose();
  });

  it("are pure builders: the same seed gives the same weights", () => {
    const [a, b] = [buildMetricNets({}, 3), buildMetricNets({}, 3)];
    const w = (n: typeof a) => n.store.entries().get("clip.conv2.w")!.dataSync();
    expect(Array.from(w(a))).toEqual(Array.from(w(b)));
    a.dispose();
    b.dispose();
  });

  it("survive a save and load through tf.io (as float16) with nearly the same outputs, and exactly after that", async () => {
    const nets = buildMetricNets({}, 2);
    let saved: tf.io.ModelArtifacts | undefined;
    await tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }).save!(await metricNetsArtifacts(nets, { seed: 2 }));
    const { nets: loaded, meta } = await loadMetricNets(tf.io.fromMemory(saved!));
    expect(meta.training).toEqual({ seed: 2 });
    expect((saved!.weightData as ArrayBuffer).byteLength).toBe(countParams(nets.store.entries().values()) * 2);
    const { nets: again } = await loadMetricNets(tf.io.fromMemory(await metricNetsArtifacts(loaded)));
    const x = tf.randomUniform([1, 16, 32, 32, 1], -1, 1) as tf.Tensor5D;
    const [a, b, c] = [nets.clip.embed(x), loaded.clip.embed(x), again.clip.embed(x)];
    const [av, bv] = [a.dataSync(), b.dataSync()];
    const scale = Math.max(...av.map(Math.abs));
    av.forEach((v, i) => expect(Math.abs(bv[i] - v)).toBeLessThan(5e-3 * scale));
    expect(Array.from(c.dataSync())).toEqual(Array.from(bv));
    tf.dispose([x, a, b, c]);
    [nets, loaded, again].forEach((n) => n.dispose());
  });
});

describe("toFloat16", () => {
  it("rounds to the nearest binary16, with subnormals, overflow and NaN", () => {
    expect(Array.from(toFloat16([0, 1, -2, 65504, 1e6, 2 ** -24, 2 ** -26, 1 + 2 ** -11, 1 + 3 * 2 ** -11]))).toEqual([
      0, 0x3c00, 0xc000, 0x7bff, 0x7c00, 0x0001, 0, 0x3c00, 0x3c02,
    ]);
    expect(toFloat16([NaN])[0] & 0x7c00).toBe(0x7c00);
  });
});

describe("toClassifierInput", () => {
  const config = { frames: 16, size: 32 };

  it("averages 64×64 frames down by 2×2 blocks and keeps the first 16 of 20 frames", () => {
    const video = tf.tidy(() => tf.reshape(tf.range(0, 20 * 64 * 64), [1, 20, 64, 64, 1]) as tf.Tensor5D);
    const x = toClassifierInput(video, config);
    expect(x.shape).toEqual([1, 16, 32, 32, 1]);
    // Pixel (0, 0) of frame 1 averages (0,0), (0,1), (1,0), (1,1) of frame 1.
    const base = 64 * 64;
    expect(x.dataSync()[32 * 32]).toBeCloseTo(base + (0 + 1 + 64 + 65) / 4, 2);
    tf.dispose([video, x]);
  });

  it("makes colour grey and refuses clips shorter than 16 frames", () => {
    const rgb = tf.ones([1, 16, 32, 32, 3]) as tf.Tensor5D;
    const x = toClassifierInput(rgb, config);
    expect(x.shape).toEqual([1, 16, 32, 32, 1]);
    const short = tf.zeros([1, 8, 32, 32, 1]) as tf.Tensor5D;
    expect(() => toClassifierInput(short, config)).toThrow(/16 frames/);
    tf.dispose([rgb, x, short]);
  });
});

describe("targets", () => {
  it("bins directions by compass sector, 0 = rightwards", () => {
    expect(directionBin(1, 0, 8)).toBe(0);
    expect(directionBin(0, 1, 8)).toBe(2);
    expect(directionBin(-1, 0, 8)).toBe(4);
    expect(directionBin(0, -1, 8)).toBe(6);
    expect(directionBin(1, -0.3, 8)).toBe(0);
    expect(directionBin(1, -0.5, 8)).toBe(7);
  });

  it("reads directions at the middle of each quarter of the clip", () => {
    expect(momentFrames(16, 4)).toEqual([2, 6, 10, 14]);
  });

  it("marks present digits, and masks the motion of a class shown twice", () => {
    const frames = 16;
    const velocities = new Float32Array(2 * 2 * frames * 2);
    for (let i = 0; i < velocities.length; i += 2) velocities[i] = 0.1; // everything moves right
    const labels = { numDigits: 2, frames, digits: Uint8Array.from([3, 7, 5, 5]), velocities };
    const t = clipTargets(labels, 2, { moments: 4, directionBins: 8 });
    expect(Array.from(t.digits.subarray(0, 10))).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0]);
    expect(Array.from(t.mask.subarray(3 * 4, 4 * 4))).toEqual([1, 1, 1, 1]);
    expect(Array.from(t.mask.subarray(40 + 5 * 4, 40 + 6 * 4))).toEqual([0, 0, 0, 0]);
    expect(t.mask.reduce((a, b) => a + b)).toBe(8);
    const f = frameTargets(labels, 2);
    expect(f[3]).toBe(0.5);
    expect(f[frames * 10 + 5]).toBe(1);
  });
});
