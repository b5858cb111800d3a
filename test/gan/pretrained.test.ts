// gan.pretrained: a checkpoint made by scripts/train-pretrained.ts (from a tiny MoCoGAN notebook, three steps) loads
// from its folder or its URL with the trained weights to float16 precision and the EMA attached, continues training
// from its state, leaks no tensors, and a missing one says how to make it.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as gan from "@/lib/gan";
import { snapshotOptimizer } from "@/lib/gan/train/optimizers";
import { pretrain } from "@/scripts/train-pretrained";
import { numTensors, useCpu } from "./train-helpers";

// What an example notebook does, at the smallest size: a config, data, a model with a slow EMA (no ramp-up, so the
// averaged generator stays visibly apart from the raw one after three steps of a large learning rate), and fit().
// The notebook's own evaluation (evaluateN) would fail at 4 frames: the script must switch it off.
const NOTEBOOK = `// # Tiny MoCoGAN

// %% Configuration
const cfg = config({ frames: 4, size: 16, width: gan.tinyWidth, steps: 3, lrG: 0.01, emaHalfLifeImages: 1000, seed: 5, evaluateN: 128 });

// %% Data
const data = await gan.createDataset("moving-mnist", { frames: cfg.frames, size: cfg.size, numDigits: 1 }, cfg.seed);

// %% Model
const model = gan.createModel("mocogan", { frames: cfg.frames, size: cfg.size, channels: 1, width: cfg.width }, cfg.seed);
const state = gan.createTrainState(model, { generator: { learningRate: cfg.lrG }, ema: { halfLifeImages: cfg.emaHalfLifeImages } });

// %% Train
await fit(model, data, { steps: cfg.steps, batchSize: 2, seed: cfg.seed, state, checkpointEvery: 2, evaluateN: cfg.evaluateN, evaluateAtEnd: cfg.evaluateN > 0 });

// %% After the training
throw new Error("the cells after the one that trains do not run");
`;

let dir: string;
let folder: string;
let metrics: gan.PretrainedMetrics;
let checkpoint: tf.io.ModelArtifacts;
/** The model as trained (the float32 checkpoint the notebook's fit saved last). */
let trained: Awaited<ReturnType<typeof gan.modelFromCheckpoint>>;

beforeAll(async () => {
  await useCpu();
  dir = await mkdtemp(path.join(tmpdir(), "zoetrope-pretrained-"));
  folder = path.join(dir, "mocogan");
  await writeFile(path.join(dir, "tiny.ts"), NOTEBOOK);
  const made = await pretrain({ kind: "mocogan", notebook: path.join(dir, "tiny.ts"), out: folder, n: 0, write: () => {} });
  ({ metrics, checkpoint } = made);
  trained = await gan.modelFromCheckpoint(tf.io.fromMemory(checkpoint));
}, 120_000);

afterAll(async () => {
  trained?.state.dispose();
  trained?.model.dispose();
  await rm(dir, { recursive: true, force: true });
});

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

/** |a − b| within float16's rounding of b (relative 2⁻¹¹, absolute 2⁻²⁵ among the subnormals). */
function expectFloat16Of(a: tf.Tensor, b: tf.Tensor, name: string): void {
  const [x, y] = [a.dataSync(), b.dataSync()];
  expect(x.length, name).toBe(y.length);
  const bad = Array.from(y).findIndex((v, i) => !(Math.abs(x[i] - v) <= Math.abs(v) * 2 ** -11 + 2 ** -25));
  expect(bad, `${name}[${bad}]: ${x[bad]} is not ${y[bad]} in float16`).toBe(-1);
}

describe("scripts/train-pretrained", () => {
  it("writes the checkpoint and a metrics.json saying how it was made", async () => {
    expect(metrics).toMatchObject({
      kind: "mocogan",
      steps: 3,
      seed: 5,
      stoppedBy: "budget",
      backend: "cpu",
      evaluation: null,
      overrides: { evaluateN: 0 },
      hparams: { frames: 4, lrG: 0.01, evaluateN: 0 },
      config: { frames: 4, size: 16, width: gan.tinyWidth },
    });
    expect(metrics.trainSeconds).toBeGreaterThan(0);
    expect(metrics.wallSeconds).toBeGreaterThanOrEqual(metrics.trainSeconds);
    expect(metrics.msPerStep).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(path.join(folder, "metrics.json"), "utf8"))).toEqual(metrics);
  });

  it("stores weights and EMA as float16 and Adam's moments as float32", async () => {
    const json = JSON.parse(await readFile(path.join(folder, "model.json"), "utf8")) as tf.io.ModelJSON;
    const specs = json.weightsManifest[0].weights;
    const half = specs.filter((s) => s.quantization?.dtype === "float16").map((s) => s.name);
    const full = specs.filter((s) => !s.quantization).map((s) => s.name);
    expect(half.length + full.length).toBe(specs.length);
    expect(half.some((n) => n.startsWith("model/")) && half.some((n) => n.startsWith("ema/"))).toBe(true);
    expect(half.every((n) => n.startsWith("model/") || n.startsWith("ema/"))).toBe(true);
    expect(full.length).toBeGreaterThan(0);
    expect(full.every((n) => n.startsWith("optim/"))).toBe(true);
    expect(metrics.weights).toEqual({ bytes: (await readFile(path.join(folder, "weights.bin"))).byteLength, float16: half.length, float32: full.length });
  });

  it("refuses a notebook that loads a trained checkpoint before it trains", async () => {
    const file = path.join(dir, "starts-trained.ts");
    await writeFile(file, NOTEBOOK.replace("// %% Train", `// %% Start from the trained model\nawait gan.pretrained("mocogan");\n\n// %% Train`));
    await expect(pretrain({ kind: "mocogan", notebook: file, out: path.join(dir, "refused"), n: 0, write: () => {} })).rejects.toThrow(
      /gan\.pretrained\(\) before its training ended.*fresh weights/,
    );
  });
});

describe("gan.pretrained", () => {
  it("loads every variable, EMA weight and Adam moment of the trained run (weights to float16 precision)", async () => {
    const p = await gan.pretrained("mocogan", { from: folder });
    try {
      expect(p.metrics).toEqual(metrics);
      expect(p.summary).toBe(`Trained for 3 steps (${(metrics.trainSeconds / 60).toFixed(0)} min on cpu)`); // no evaluation
      expect(p.meta.step).toBe(3);
      expect(p.state.step).toBe(3);
      const want = trained.model.stateVars();
      for (const [name, v] of p.model.stateVars()) expectFloat16Of(v, want.get(name)!, name);
      const shadow = trained.state.ema!.shadow;
      expect(p.state.ema!.shadow.size).toBe(shadow.size);
      for (const [name, v] of p.state.ema!.shadow) expectFloat16Of(v, shadow.get(name)!, `ema ${name}`);
      for (const net of ["generator", "discriminator"] as const) {
        const [got, exp] = [await snapshotOptimizer(p.state.optimizers[net]), await snapshotOptimizer(trained.state.optimizers[net])];
        expect(got.iterations).toBe(3);
        expect(got.slots.map((s) => s.name)).toEqual(exp.slots.map((s) => s.name));
        got.slots.forEach((s, i) => expect(Array.from(s.tensor.dataSync())).toEqual(Array.from(exp.slots[i].tensor.dataSync())));
      }
    } finally {
      p.dispose();
    }
  });

  it("samples from the EMA generator, as the trained model does", async () => {
    const p = await gan.pretrained("mocogan", { from: folder });
    const videos = tf.tidy(() => ({
      loaded: gan.sample(p.model, 4, { seed: 9 }),
      loadedRaw: gan.sample(p.model, 4, { seed: 9, useEma: false }),
      ema: gan.sample(trained.model, 4, { seed: 9 }),
      raw: gan.sample(trained.model, 4, { seed: 9, useEma: false }),
    }));
    try {
      expect(videos.loaded.shape).toEqual([4, 4, 16, 16, 1]);
      // The EMA is its own set of weights here (the tiny generator's outputs stay near 0: about 0.015 apart), and
      // float16 weights move the samples a hundred times less.
      expect(maxAbsDiff(videos.ema, videos.raw)).toBeGreaterThan(0.005);
      expect(maxAbsDiff(videos.loaded, videos.ema)).toBeLessThan(5e-5);
      expect(maxAbsDiff(videos.loadedRaw, videos.raw)).toBeLessThan(5e-5);
    } finally {
      tf.dispose(Object.values(videos));
      p.dispose();
    }
  });

  it("continues training from its state, as fit() and gan.train would the trained run", async () => {
    const data = await gan.createDataset("moving-mnist", { frames: 4, size: 16, numDigits: 1 }, 5);
    const p = await gan.pretrained("mocogan", { from: folder });
    const losses: number[][] = [];
    try {
      // No state passed: fit() finds the one gan.pretrained attached to the model.
      const r = await gan.fit(p.model, data, { steps: 5, batchSize: 2, seed: 5, onStep: (m) => void losses.push([m.loss_d, m.loss_g]) });
      expect(r.state).toBe(p.state);
      expect(r).toMatchObject({ step: 5, stepsRun: 2 });
      expect(p.state.optimizers.generator.iterations).toBe(5);
      const again = await gan.train(p.model, data, { steps: 6, batchSize: 2, seed: 5, state: p.state });
      expect(again.step).toBe(6);
    } finally {
      p.dispose();
    }
    // The same two steps from the float32 run: the same losses, up to what float16 weights change.
    const reference: number[][] = [];
    const copy = await gan.modelFromCheckpoint(tf.io.fromMemory(checkpoint));
    try {
      await gan.train(copy.model, data, { steps: 5, batchSize: 2, seed: 5, state: copy.state, onStep: (m) => void reference.push([m.loss_d, m.loss_g]) });
    } finally {
      copy.state.dispose();
      copy.model.dispose();
    }
    losses.flat().forEach((v, i) => expect(Math.abs(v - reference.flat()[i])).toBeLessThan(0.02));
  });

  it("leaves no tensors behind once disposed", async () => {
    const before = numTensors();
    for (const weightsOnly of [false, true]) {
      const p = await gan.pretrained("mocogan", { from: folder, weightsOnly });
      gan.sample(p.model, 2, { seed: 1 }).dispose();
      p.dispose();
    }
    await expect(gan.pretrained("tgan", { from: folder })).rejects.toThrow(/holds a mocogan checkpoint, not tgan/);
    await expect(gan.pretrained("mocogan", { from: path.join(dir, "absent") })).rejects.toThrow();
    expect(numTensors()).toBe(before);
  });

  it("says how to create a checkpoint that is not there", async () => {
    const absent = path.join(dir, "absent");
    await expect(gan.pretrained("vgan", { from: absent })).rejects.toThrow(
      `gan.pretrained: no trained vgan checkpoint at ${absent} (no model.json). Create it with \`npm run pretrain -- --model vgan\``,
    );
  });

  describe("from a URL", () => {
    let server: http.Server;
    let base: string;
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        void readFile(path.join(dir, decodeURIComponent(new URL(req.url!, "http://x").pathname))).then(
          (body) => res.end(body),
          () => res.writeHead(404).end("not found"),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("loads the same model from the folder's URL or its model.json", async () => {
      const fromDisk = await gan.pretrained("mocogan", { from: folder });
      const want = gan.sample(fromDisk.model, 2, { seed: 4 });
      try {
        for (const from of [`${base}/mocogan/`, `${base}/mocogan`, `${base}/mocogan/model.json`]) {
          const p = await gan.pretrained("mocogan", { from });
          const got = gan.sample(p.model, 2, { seed: 4 });
          expect(p.metrics).toEqual(metrics);
          expect(maxAbsDiff(got, want)).toBe(0);
          got.dispose();
          p.dispose();
        }
      } finally {
        want.dispose();
        fromDisk.dispose();
      }
    });

    it("says how to create and serve a checkpoint the app does not have", async () => {
      await expect(gan.pretrained("tgan", { from: `${base}/tgan/` })).rejects.toThrow(
        /no trained tgan checkpoint at http:\/\/127\.0\.0\.1:\d+\/tgan\/ \(metrics\.json: HTTP 404\)\. Create it with `npm run pretrain -- --model tgan`.*npm run build/,
      );
    });
  });
});
