import { tempDb } from "../helpers/temp-db";
import fs from "node:fs";
import path from "node:path";
import { strToU8, unzipSync, zipSync, type Zippable } from "fflate";
import Papa from "papaparse";
import { describe, expect, it, vi } from "vitest";
import * as runs from "@/app/api/runs/route";
import * as run from "@/app/api/runs/[id]/route";
import * as metrics from "@/app/api/runs/[id]/metrics/route";
import * as samples from "@/app/api/runs/[id]/samples/route";
import * as sample from "@/app/api/samples/[id]/route";
import * as exporter from "@/app/api/runs/[id]/export/route";
import * as importer from "@/app/api/runs/import/route";
import { gif, mp4, png } from "./fixtures";
import { bodyOf, call, noParams } from "./http";
import { newExperiment } from "./setup";

const CODE = "// %%\nconst g = mocogan({ zDim: 10 });\nlog('loss/d', 0.7);\n";
const HPARAMS = { model: "mocogan", lr: 2e-4, g: { channels: [64, 32] }, note: "<img src=x onerror=alert(1)>" };

/** A finished run with two metric keys (one point NaN), four samples (two PNGs share a name and step) and code. */
async function arrange() {
  const experimentId = await newExperiment("source");
  const res = await call(runs.POST, "POST", "/api/runs", noParams, {
    body: { experimentId, name: "MoCoGAN ✓ baseline", code: CODE, hparams: HPARAMS, seed: 42, backend: "webgpu", device: { vendor: "nvidia" } },
  });
  const { id } = await bodyOf(res);
  const points = [
    { key: "loss/d", step: 0, value: 0.75, time: 1_700_000_000_000.5 },
    { key: "loss/d", step: 1, value: null, time: 1_700_000_000_100 },
    { key: "loss/d", step: 2, value: 0.1 + 0.2, time: 1_700_000_000_200 },
    { key: "fvd", step: 2, value: 1234.5, time: 1_700_000_000_300 },
  ];
  await call(metrics.POST, "POST", "/x", { id }, { body: { batch: 0, points } });
  const upload = async (bytes: Uint8Array, name: string, step: string, extra: Record<string, string> = {}) => {
    const f = new FormData();
    f.set("file", new Blob([bytes as Uint8Array<ArrayBuffer>]), "x");
    f.set("name", name);
    f.set("step", step);
    for (const [k, v] of Object.entries(extra)) f.set(k, v);
    const r = await call(samples.POST, "POST", "/x", { id }, { body: f });
    if (r.status !== 201) throw new Error(await r.text());
  };
  await upload(gif(16, 16, 4), "video/train", "100", { fps: "8" });
  await upload(png(4, 4), "grid", "100");
  await upload(mp4(2048), "grid", "100", { width: "64", height: "64", frames: "16" });
  await upload(png(8, 8), "grid", "100");
  await call(run.PATCH, "PATCH", "/x", { id }, { body: { status: "finished" } });
  return { experimentId, id: id as string };
}

const exportAs = (id: string, format?: string) =>
  call(exporter.GET, "GET", `/api/runs/${id}/export${format ? `?format=${format}` : ""}`, { id });
const importZip = (experimentId: string, body: Uint8Array, type = "application/zip") =>
  call(importer.POST, "POST", `/api/runs/import?experimentId=${experimentId}`, noParams, { body, headers: { "content-type": type } });
const series = async (id: string) => (await bodyOf(await call(metrics.GET, "GET", `/api/runs/${id}/metrics`, { id }))).series;
const sampleList = async (id: string) => (await bodyOf(await call(samples.GET, "GET", "/x", { id }))).samples;
const runsOf = async (experimentId: string) =>
  (await bodyOf(await call(runs.GET, "GET", `/api/runs?experimentId=${experimentId}`, noParams))).runs;

async function sampleBytes(id: string): Promise<Uint8Array> {
  return new Uint8Array(await (await call(sample.GET, "GET", `/api/samples/${id}`, { id })).arrayBuffer());
}

async function bundleOf(id: string): Promise<Uint8Array> {
  return new Uint8Array(await (await exportAs(id, "zip")).arrayBuffer());
}

/** The bundle of a run with some files replaced (undefined removes one). */
function edited(bundle: Uint8Array, changes: Record<string, Uint8Array | string | undefined>): Uint8Array {
  const files: Zippable = { ...unzipSync(bundle) };
  for (const [name, v] of Object.entries(changes)) {
    if (v === undefined) delete files[name];
    else files[name] = typeof v === "string" ? strToU8(v) : v;
  }
  return zipSync(files);
}

describe("GET /api/runs/:id/export", () => {
  it("format=csv: one row per point, step,key,value,time, NaN for a diverged value, as an attachment", async () => {
    const { id } = await arrange();
    const res = await exportAs(id, "csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="mocogan-baseline-${id}.csv"`);
    const parsed = Papa.parse<string[]>(await res.text(), { skipEmptyLines: true });
    expect(parsed.data).toEqual([
      ["step", "key", "value", "time"],
      ["2", "fvd", "1234.5", "1700000000300"],
      ["0", "loss/d", "0.75", "1700000000000.5"],
      ["1", "loss/d", "NaN", "1700000000100"],
      ["2", "loss/d", "0.30000000000000004", "1700000000200"],
    ]);
  });

  it("format=json: the run, its hparams, and series as parallel arrays with null for NaN", async () => {
    const { id } = await arrange();
    const res = await exportAs(id, "json");
    expect(res.headers.get("content-disposition")).toContain(".json");
    const body = await bodyOf(res);
    expect(body.run).toMatchObject({ id, name: "MoCoGAN ✓ baseline", status: "finished", code: CODE, seed: 42 });
    expect(body.hparams).toEqual(HPARAMS);
    expect(body.metrics["loss/d"]).toEqual({
      steps: [0, 1, 2],
      values: [0.75, null, 0.30000000000000004],
      times: [1_700_000_000_000.5, 1_700_000_000_100, 1_700_000_000_200],
    });
  });

  it("format=zip (the default): run.json, code.ts, metrics.csv and every sample file, no checkpoints", async () => {
    const { id } = await arrange();
    const res = await exportAs(id);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toContain(".zip");
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([
      "code.ts",
      "metrics.csv",
      "run.json",
      "samples/grid-100-2.png",
      "samples/grid-100.mp4",
      "samples/grid-100.png",
      "samples/video_train-100.gif",
    ]);
    const manifest = JSON.parse(new TextDecoder().decode(files["run.json"]));
    expect(manifest).toMatchObject({ format: "zoetrope-run", version: 1, name: "MoCoGAN ✓ baseline", status: "finished", seed: 42, backend: "webgpu" });
    expect(manifest.samples).toContainEqual({ file: "samples/video_train-100.gif", name: "video/train", step: 100, fps: 8, frames: 4, width: 16, height: 16 });
    expect(new TextDecoder().decode(files["code.ts"])).toBe(CODE);
    expect(files["samples/grid-100.mp4"]).toEqual(mp4(2048));
    expect([files["samples/grid-100.png"], files["samples/grid-100-2.png"]]).toContainEqual(png(8, 8));
  });

  it("answers 404 for an unknown run and 422 for an unknown format", async () => {
    expect((await exportAs("nope", "csv")).status).toBe(404);
    expect((await exportAs("nope")).status).toBe(404);
    const { id } = await arrange();
    expect((await exportAs(id, "xlsx")).status).toBe(422);
  });
});

describe("POST /api/runs/import", () => {
  it("round-trips a bundle into another experiment: hparams, code, metric points (NaN too), sample bytes", async () => {
    const { id } = await arrange();
    const target = await newExperiment("target");
    const res = await importZip(target, await bundleOf(id));
    expect(res.status).toBe(201);
    const { id: copy } = await bodyOf(res);
    expect(copy).not.toBe(id);

    const [a, b] = await Promise.all([id, copy].map(async (r) => bodyOf(await call(run.GET, "GET", "/x", { id: r }))));
    expect(b.experimentId).toBe(target);
    for (const k of ["name", "status", "error", "code", "hparams", "seed", "backend", "device", "startedAt", "endedAt", "lastMetrics"]) {
      expect(b[k], k).toEqual(a[k]);
    }
    expect(await series(copy)).toEqual(await series(id));
    expect((await series(copy))["loss/d"].values).toEqual([0.75, null, 0.30000000000000004]);

    const [sa, sb] = [await sampleList(id), await sampleList(copy)];
    const strip = (s: Record<string, unknown>) => ({ ...s, id: undefined, runId: undefined, url: undefined, createdAt: undefined });
    expect(sb.map(strip)).toEqual(sa.map(strip));
    for (let i = 0; i < sa.length; i++) expect(await sampleBytes(sb[i].id)).toEqual(await sampleBytes(sa[i].id));
  });

  it("imports a run exported while running as interrupted", async () => {
    const experimentId = await newExperiment();
    const { id } = await bodyOf(await call(runs.POST, "POST", "/api/runs", noParams, { body: { experimentId, code: "x" } }));
    const res = await importZip(experimentId, await bundleOf(id));
    expect(res.status).toBe(201);
    const copy = await bodyOf(await call(run.GET, "GET", "/x", { id: (await bodyOf(res)).id }));
    expect(copy.status).toBe("interrupted");
  });

  it("answers 4xx with a clear message for a corrupt zip or a missing or bad file, keeping nothing", async () => {
    const { id } = await arrange();
    const bundle = await bundleOf(id);
    const target = await newExperiment("empty");
    const runJson = JSON.parse(new TextDecoder().decode(unzipSync(bundle)["run.json"]));
    const cases: [Uint8Array, number, RegExp][] = [
      [strToU8("not a zip at all"), 400, /not a readable zip/],
      [bundle.slice(0, bundle.length - 40), 400, /not a readable zip/],
      [edited(bundle, { "run.json": undefined }), 422, /missing run\.json/],
      [edited(bundle, { "metrics.csv": undefined }), 422, /missing metrics\.csv/],
      [edited(bundle, { "code.ts": undefined }), 422, /missing code\.ts/],
      [edited(bundle, { "samples/grid-100.png": undefined }), 422, /samples\/grid-100\.png is named in run\.json but missing/],
      [edited(bundle, { "run.json": "{" }), 422, /run\.json is not valid JSON/],
      [edited(bundle, { "run.json": JSON.stringify({ ...runJson, status: "done" }) }), 422, /run\.json\.status/],
      [edited(bundle, { "run.json": JSON.stringify({ ...runJson, format: "other" }) }), 422, /run\.json\.format/],
      [edited(bundle, { "metrics.csv": "a,b\n1,2\n" }), 422, /header step,key,value,time/],
      [edited(bundle, { "metrics.csv": "step,key,value,time\n1,loss,x,5\n" }), 422, /row 2: value/],
      [edited(bundle, { "metrics.csv": "step,key,value,time\n1,loss,1,5\n-1,loss,1,5\n" }), 422, /row 3: step/],
      [edited(bundle, { "metrics.csv": "step,key,value,time\n1,loss\n" }), 422, /row 2: Too few fields/],
      [edited(bundle, { "samples/grid-100.png": strToU8("<html>") }), 415, /samples\/grid-100\.png is not an MP4/],
    ];
    for (const [body, status, message] of cases) {
      const res = await importZip(target, body);
      const text = (await bodyOf(res)).error.message;
      expect(res.status, text).toBe(status);
      expect(text).toMatch(message);
    }
    expect(await runsOf(target)).toEqual([]);
  });

  it("deletes the half-made run when a write fails midway (samples folder unwritable)", async () => {
    const { id } = await arrange();
    const bundle = await bundleOf(id);
    const target = await newExperiment("fails");
    const folder = path.join(tempDb.dataDir, "samples");
    const aside = `${folder}-aside`;
    fs.renameSync(folder, aside);
    fs.writeFileSync(folder, "a file where the samples folder should be");
    const quiet = vi.spyOn(console, "error").mockImplementation(() => undefined); // the 500 is logged
    try {
      expect((await importZip(target, bundle)).status).toBe(500);
    } finally {
      quiet.mockRestore();
      fs.rmSync(folder);
      fs.renameSync(aside, folder);
    }
    expect(await runsOf(target)).toEqual([]);
    const orphans = 'SELECT CAST(COUNT(*) AS INTEGER) AS n FROM "MetricChunk" WHERE "runId" NOT IN (SELECT id FROM "Run")';
    expect(await tempDb.query(orphans)).toEqual([{ n: 0 }]);
  });

  it("answers 404 for an unknown experiment, 422 without one, 415 for another type, 413 over the limit", async () => {
    const { id } = await arrange();
    const bundle = await bundleOf(id);
    const target = await newExperiment();
    expect((await importZip("nope", bundle)).status).toBe(404);
    const noTarget = await call(importer.POST, "POST", "/api/runs/import", noParams, { body: bundle, headers: { "content-type": "application/zip" } });
    expect(noTarget.status).toBe(422);
    expect((await importZip(target, bundle, "application/json")).status).toBe(415);
    expect((await importZip(target, bundle, "application/x-zip-compressed")).status).toBe(201);
    process.env.ZOETROPE_MAX_IMPORT_MB = String(1 / 1024); // 1 KiB
    try {
      const res = await importZip(target, bundle);
      expect(res.status).toBe(413);
      // A small zip that would unpack past the limit is refused from its declared sizes.
      process.env.ZOETROPE_MAX_IMPORT_MB = "1";
      const bomb = edited(bundle, { "metrics.csv": new Uint8Array(2 * 1024 * 1024) });
      expect(bomb.byteLength).toBeLessThan(100_000);
      const refused = await importZip(target, bomb);
      expect(refused.status).toBe(413);
      expect((await bodyOf(refused)).error.message).toContain("metrics.csv unpacks to more than the import limit");
    } finally {
      delete process.env.ZOETROPE_MAX_IMPORT_MB;
    }
  });
});
