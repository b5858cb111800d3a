import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkpointArtifacts, loadCheckpoint, saveCheckpoint } from "@/lib/gan/checkpoint";
import { fileCheckpoint } from "@/lib/gan/checkpoint/fs";
import { latestCheckpoint, trackerCheckpoint } from "@/lib/gan/checkpoint/http";
import { sample } from "@/lib/gan/sample";
import { createTrainState, train, type StepMetrics } from "@/lib/gan/train";
import { normaliseModelJson } from "@/lib/tracker/checkpoint-manifest";
import { modelKinds, numTensors, tinyData, tinyModel, trainingBackends, useBackend, useCpu, type ModelKind } from "./train-helpers";

let dir: string;
beforeAll(async () => {
  await useCpu();
  dir = await mkdtemp(path.join(tmpdir(), "zoetrope-ckpt-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const RUN = { batchSize: 2, seed: 11, ema: 0.9 } as const;
const lossesOf = (ms: StepMetrics[]) => ms.map((m) => [m.loss_d, m.loss_g]);

describe.each(trainingBackends)("on %s", (backend) => {
  beforeAll(() => useBackend(backend));
  afterAll(useCpu);

  describe.each(modelKinds)("%s checkpoint", (kind: ModelKind) => {
    // Split at 7, not a multiple of TGAN's clipping interval (5): the clip schedule must survive the resume too.
    it("20 steps equal 7 steps + save + load into a fresh model and optimisers + 13 steps", async () => {
      const data = await tinyData();
      const straight: StepMetrics[] = [];
      const modelA = tinyModel(kind, 1);
      const a = await train(modelA, data, { ...RUN, steps: 20, onStep: (m) => void straight.push(m) });

      const resumed: StepMetrics[] = [];
      const modelB = tinyModel(kind, 1);
      const first = await train(modelB, data, { ...RUN, steps: 7 });
      const folder = path.join(dir, kind);
      await saveCheckpoint(fileCheckpoint(folder), modelB, first.state, { note: "half way" });
      first.state.dispose();
      modelB.dispose();
      expect((await readdir(folder)).sort()).toEqual(["model.json", "weights.bin"]);

      const modelC = tinyModel(kind, 999); // different init: everything must come from the checkpoint
      const { state, meta } = await loadCheckpoint(fileCheckpoint(folder), modelC);
      expect(meta.step).toBe(7);
      expect(meta.extra).toEqual({ note: "half way" });
      const second = await train(modelC, data, { ...RUN, steps: 20, state, onStep: (m) => void resumed.push(m) });
      expect(resumed.map((m) => m.step)).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
      const want = lossesOf(straight.slice(7)).flat();
      const got = lossesOf(resumed).flat();
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));

      // Same final weights, EMA included.
      const [va, vc] = [sample(modelA, 2, { seed: 4 }), sample(modelC, 2, { seed: 4 })];
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(va, vc))).dataSync()[0])).toBeLessThan(1e-4);
      tf.dispose([va, vc]);
      for (const m of [modelA, modelC]) m.dispose();
      a.state.dispose();
      second.state.dispose();
    }, 240_000);
  });
});

describe("checkpoint contents", () => {
  it("holds every state variable, both Adams' slots and the EMA, with no tensors left behind", async () => {
    const model = tinyModel("mocogan");
    const { state } = await train(model, await tinyData(), { ...RUN, steps: 2 });
    const before = numTensors();
    const artifacts = await checkpointArtifacts(model, state);
    expect(numTensors()).toBe(before);
    const names = artifacts.weightSpecs!.map((s) => s.name);
    for (const name of model.stateVars().keys()) expect(names).toContain(`model/${name}`);
    const trainable = (vs: tf.Variable[]) => vs.filter((v) => v.trainable).length;
    expect(names.filter((n) => n.startsWith("optim/generator/m/"))).toHaveLength(trainable(model.generatorVars));
    expect(names.filter((n) => n.startsWith("optim/discriminator/v/"))).toHaveLength(trainable(model.discriminatorVars));
    expect(names.filter((n) => n.startsWith("ema/"))).toHaveLength(model.generatorVars.length);
    const meta = (artifacts.userDefinedMetadata as { zoetrope: { iterations: object; step: number } }).zoetrope;
    expect(meta.iterations).toEqual({ generator: 2, discriminator: 2 });
    expect(meta.step).toBe(2);
    state.dispose();
    model.dispose();
  });

  it("refuses a checkpoint of another kind or shape and leaves the model untouched", async () => {
    const vgan = tinyModel("vgan");
    const state = createTrainState(vgan);
    const saved = await checkpointArtifacts(vgan, state);
    const memory = () => tf.io.fromMemory(saved);
    const tgan = tinyModel("tgan");
    await expect(loadCheckpoint(memory(), tgan)).rejects.toThrow(/vgan model, not tgan/);
    const wider = tinyModel("vgan", 1, { width: 1 / 8 });
    const probe = [...wider.stateVars().values()][0];
    const beforeValues = Array.from(probe.dataSync());
    await expect(loadCheckpoint(memory(), wider)).rejects.toThrow(/checkpoint has \[/);
    expect(Array.from(probe.dataSync())).toEqual(beforeValues);
    for (const m of [vgan, tgan, wider]) m.dispose();
    state.dispose();
  });
});

/** The tracker's checkpoint routes over an in-memory store, validating uploads with the tracker's own code. */
function fakeTracker() {
  const store = new Map<string, { step: number; model: string; weights: ArrayBuffer }>();
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), "http://tracker.test");
    const m = url.pathname.match(/^\/api\/runs\/([^/]+)\/checkpoints(?:\/([^/]+)\/(model\.json|weights\.bin))?$/);
    if (!m) return new Response("not found", { status: 404 });
    const [, runId, cid, file] = m;
    if (init?.method === "POST") {
      const form = init.body as FormData;
      const weights = await (form.get("weights") as Blob).arrayBuffer();
      const model = normaliseModelJson(await (form.get("modelJson") as Blob).text(), weights.byteLength);
      const id = `c${store.size + 1}`;
      const step = Number(form.get("step"));
      store.set(id, { step, model: JSON.stringify(model), weights });
      const base = `/api/runs/${runId}/checkpoints/${id}`;
      return Response.json({ id, runId, step, bytes: weights.byteLength, createdAt: "", modelUrl: `${base}/model.json`, weightsUrl: `${base}/weights.bin` }, { status: 201 });
    }
    if (!cid) {
      const list = [...store].map(([id, c]) => ({ id, runId, step: c.step })).sort((x, y) => x.step - y.step);
      return Response.json({ checkpoints: list });
    }
    const c = store.get(cid);
    if (!c) return new Response("no such checkpoint", { status: 404 });
    return file === "model.json" ? new Response(c.model) : new Response(c.weights);
  };
  return { store, fetch: fetchFn as typeof fetch };
}

describe("tracker checkpoint handler", () => {
  it("uploads in the tracker's multipart format and loads back through tf.io.http", async () => {
    const tracker = fakeTracker();
    const model = tinyModel("tgan");
    const { state } = await train(model, await tinyData(), { ...RUN, steps: 3 });
    const handler = trackerCheckpoint("run1", { baseUrl: "http://tracker.test", fetch: tracker.fetch });
    await saveCheckpoint(handler, model, state);
    expect(handler.saved).toMatchObject({ id: "c1", step: 3 });
    const latest = await latestCheckpoint("run1", { baseUrl: "http://tracker.test", fetch: tracker.fetch });
    expect(latest?.id).toBe("c1");

    const fresh = tinyModel("tgan", 42);
    const loader = trackerCheckpoint("run1", { baseUrl: "http://tracker.test", fetch: tracker.fetch, checkpointId: latest!.id });
    const loaded = await loadCheckpoint(loader, fresh);
    expect(loaded.state.step).toBe(3);
    for (const [name, v] of model.stateVars()) {
      expect(Array.from(fresh.stateVars().get(name)!.dataSync()), name).toEqual(Array.from(v.dataSync()));
    }
    for (const s of [state, loaded.state]) s.dispose();
    for (const m of [model, fresh]) m.dispose();
  });
});
