import { tempDb } from "../helpers/temp-db";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { io } from "@tensorflow/tfjs-core";
import * as collection from "@/app/api/runs/[id]/checkpoints/route";
import * as item from "@/app/api/runs/[id]/checkpoints/[cid]/route";
import * as modelJson from "@/app/api/runs/[id]/checkpoints/[cid]/model.json/route";
import * as weightsBin from "@/app/api/runs/[id]/checkpoints/[cid]/weights.bin/route";
import { bodyOf, call } from "./http";
import { newRun } from "./setup";

const specs = [
  { name: "g/dense/kernel", shape: [4, 2], dtype: "float32" },
  { name: "g/dense/bias", shape: [2], dtype: "float32" },
  { name: "step", shape: [], dtype: "int32" },
];
const weights = () => new Uint8Array(new Float32Array([...Array.from({ length: 10 }, (_, i) => i / 10), 0]).buffer);

function form(model: unknown, bin: Uint8Array | null, step: string | null = "500") {
  const f = new FormData();
  f.set("modelJson", typeof model === "string" ? model : JSON.stringify(model));
  if (bin) f.set("weights", new Blob([bin as Uint8Array<ArrayBuffer>]));
  if (step !== null) f.set("step", step);
  return f;
}

const post = (runId: string, body: FormData, qs = "") =>
  call(collection.POST, "POST", `/api/runs/${runId}/checkpoints${qs}`, { id: runId }, { body });

/** A fetch that routes checkpoint URLs to the handlers, so TF.js's own HTTP loader and saver can be used. */
const fetchFunc = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const req = new Request(new URL(String(input), "http://localhost"), init);
  const parts = new URL(req.url).pathname.split("/").filter(Boolean); // api runs :id checkpoints [:cid [file]]
  const [id, cid, file] = [parts[2], parts[4], parts[5]];
  const ctx = { params: Promise.resolve({ id, cid }) };
  if (!cid) return collection.POST(req, { params: Promise.resolve({ id }) });
  if (file === "model.json") return modelJson.GET(req, ctx);
  if (file === "weights.bin") return weightsBin.GET(req, ctx);
  return item.GET(req, ctx);
};

describe("POST /api/runs/:id/checkpoints", () => {
  it("stores model.json and weights.bin and answers 201 with their URLs", async () => {
    const runId = await newRun();
    const res = await post(runId, form({ modelTopology: { class_name: "Sequential" }, weightSpecs: specs }, weights()));
    expect(res.status).toBe(201);
    const ck = await bodyOf(res);
    expect(ck).toMatchObject({ runId, step: 500, bytes: 44 });
    expect(ck.modelUrl).toBe(`/api/runs/${runId}/checkpoints/${ck.id}/model.json`);
    const dir = path.join(tempDb.dataDir, "checkpoints", runId, ck.id);
    expect(fs.readdirSync(dir).sort()).toEqual(["model.json", "weights.bin"]);
    const stored = JSON.parse(fs.readFileSync(path.join(dir, "model.json"), "utf8"));
    expect(stored.weightsManifest).toEqual([{ paths: ["weights.bin"], weights: specs }]);
    expect(stored.weightSpecs).toBeUndefined();
  });

  it("accepts what TF.js's model.save(tf.io.http(url)) sends, and tf.io.http loads it back", async () => {
    const runId = await newRun();
    const data = weights();
    const saver = io.http(`/api/runs/${runId}/checkpoints?step=1200`, { fetchFunc });
    const saved = await saver.save!({
      modelTopology: { class_name: "Model", config: { name: "generator" } },
      weightSpecs: specs as io.WeightsManifestEntry[],
      weightData: data.buffer,
      format: "layers-model",
      generatedBy: "TensorFlow.js tfjs-layers v4.22.0",
    });
    const ck = await saved.responses![0].json();
    expect(ck.step).toBe(1200);

    const loaded = await io.http(ck.modelUrl, { fetchFunc }).load!();
    expect(loaded.modelTopology).toEqual({ class_name: "Model", config: { name: "generator" } });
    expect(loaded.format).toBe("layers-model");
    expect(loaded.weightSpecs).toEqual(specs);
    expect(new Uint8Array(io.CompositeArrayBuffer.join(loaded.weightData!))).toEqual(data);
  });

  it("answers 422 when the weight specs do not describe the binary", async () => {
    const runId = await newRun();
    const res = await post(runId, form({ weightSpecs: specs }, weights().subarray(0, 40)));
    expect(res.status).toBe(422);
    expect((await bodyOf(res)).error.message).toMatch(/40 bytes.*44/);
    expect(fs.existsSync(path.join(tempDb.dataDir, "checkpoints", runId))).toBe(false);
  });

  it("answers 400 for malformed model JSON, 422 for bad parts, 404 for an unknown run", async () => {
    const runId = await newRun();
    expect((await post(runId, form("{nope", weights()))).status).toBe(400);
    expect((await post(runId, form({ modelTopology: {} }, weights()))).status).toBe(422);
    expect((await post(runId, form({ weightSpecs: [{ name: "w", shape: [-1], dtype: "float32" }] }, weights()))).status).toBe(422);
    expect((await post(runId, form({ weightSpecs: specs }, null))).status).toBe(422);
    expect((await post(runId, form({ weightSpecs: specs }, weights(), null))).status).toBe(422);
    expect((await post(runId, form({ weightSpecs: specs }, weights(), "x"))).status).toBe(422);
    expect((await post("nope", form({ weightSpecs: specs }, weights()))).status).toBe(404);
  });

  it("answers 413 over the upload limit", async () => {
    const runId = await newRun();
    process.env.ZOETROPE_MAX_UPLOAD_MB = "0.001";
    try {
      const big = new Uint8Array(4096);
      const res = await post(runId, form({ weightSpecs: [{ name: "w", shape: [1024], dtype: "float32" }] }, big));
      expect(res.status).toBe(413);
    } finally {
      delete process.env.ZOETROPE_MAX_UPLOAD_MB;
    }
  });
});

describe("GET checkpoints", () => {
  it("lists by step and gets one; unknown ids and runs are 404", async () => {
    const runId = await newRun();
    for (const step of ["300", "100", "200"]) await post(runId, form({ weightSpecs: specs }, weights(), step));
    const list = (await bodyOf(await call(collection.GET, "GET", "/x", { id: runId }))).checkpoints;
    expect(list.map((c: { step: number }) => c.step)).toEqual([100, 200, 300]);
    const one = await call(item.GET, "GET", "/x", { id: runId, cid: list[0].id });
    expect(await bodyOf(one)).toEqual(list[0]);
    const bin = await call(weightsBin.GET, "GET", "/x", { id: runId, cid: list[0].id });
    expect(bin.headers.get("content-type")).toBe("application/octet-stream");
    expect(new Uint8Array(await bin.arrayBuffer())).toEqual(weights());

    const otherRun = await newRun();
    expect((await call(item.GET, "GET", "/x", { id: otherRun, cid: list[0].id })).status).toBe(404);
    expect((await call(modelJson.GET, "GET", "/x", { id: runId, cid: "nope" })).status).toBe(404);
    expect((await call(collection.GET, "GET", "/x", { id: "nope" })).status).toBe(404);
  });
});
