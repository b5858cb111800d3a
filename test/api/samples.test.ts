import { tempDb } from "../helpers/temp-db";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as samples from "@/app/api/runs/[id]/samples/route";
import * as sample from "@/app/api/samples/[id]/route";
import { bodyOf, call } from "./http";
import { gif, mp4, png, webm } from "./fixtures";
import { newRun } from "./setup";

function form(file: Uint8Array | null, fields: Record<string, string> = { name: "fake", step: "100" }) {
  const f = new FormData();
  if (file) f.set("file", new Blob([file as Uint8Array<ArrayBuffer>]), "upload.bin");
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
}

const upload = (runId: string, body: FormData | string, headers?: Record<string, string>) =>
  call(samples.POST, "POST", `/api/runs/${runId}/samples`, { id: runId }, { body, headers });
const fetchSample = (id: string, headers?: Record<string, string>, method = "GET") =>
  call(method === "HEAD" ? sample.HEAD : sample.GET, method, `/api/samples/${id}`, { id }, { headers });

describe("POST /api/runs/:id/samples", () => {
  it("stores each supported type under DATA_DIR/samples/<runId>, typed by its magic bytes", async () => {
    const runId = await newRun();
    const cases = [
      { bytes: mp4(), mime: "video/mp4", ext: "mp4" },
      { bytes: webm(), mime: "video/webm", ext: "webm" },
      { bytes: gif(64, 48, 16), mime: "image/gif", ext: "gif", width: 64, height: 48, frames: 16 },
      { bytes: png(320, 64), mime: "image/png", ext: "png", width: 320, height: 64, frames: 1 },
    ];
    for (const c of cases) {
      const res = await upload(runId, form(c.bytes, { name: "fake", step: "100", fps: "8" }));
      expect(res.status).toBe(201);
      const s = await bodyOf(res);
      expect(s).toMatchObject({ runId, name: "fake", step: 100, mime: c.mime, fps: 8, bytes: c.bytes.length });
      if (c.width) expect([s.width, s.height, s.frames]).toEqual([c.width, c.height, c.frames]);
      const file = path.join(tempDb.dataDir, "samples", runId, `${s.id}.${c.ext}`);
      expect(new Uint8Array(fs.readFileSync(file))).toEqual(c.bytes);
      expect(s.url).toBe(`/api/samples/${s.id}`);
    }
  });

  it("takes width, height and frames from the form when the header has none (MP4, WebM)", async () => {
    const runId = await newRun();
    const res = await upload(runId, form(mp4(), { name: "v", step: "1", width: "64", height: "64", frames: "16" }));
    expect(await bodyOf(res)).toMatchObject({ width: 64, height: 64, frames: 16, fps: null });
  });

  it("answers 415 for files of other types, whatever their name says", async () => {
    const runId = await newRun();
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1]);
    const avif = Uint8Array.from([0, 0, 0, 0x1c, ...Buffer.from("ftypavif"), 0, 0, 0, 0]);
    const mkv = Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x88, ...Buffer.from("matroska")]);
    for (const bytes of [jpeg, avif, mkv, Buffer.from("<html>"), new Uint8Array(0)]) {
      const res = await upload(runId, form(bytes));
      expect(res.status).toBe(415);
      expect((await bodyOf(res)).error.code).toBe("unsupported_media_type");
    }
    expect(fs.existsSync(path.join(tempDb.dataDir, "samples", runId))).toBe(false);
  });

  it("answers 415 for a body that is not multipart", async () => {
    const runId = await newRun();
    expect((await upload(runId, '{"file": 1}', { "content-type": "application/json" })).status).toBe(415);
  });

  it("answers 413 over ZOETROPE_MAX_UPLOAD_MB, from Content-Length and from the actual size", async () => {
    const runId = await newRun();
    process.env.ZOETROPE_MAX_UPLOAD_MB = "1";
    try {
      const big = mp4(1024 * 1024 + 1);
      const res = await upload(runId, form(big));
      expect(res.status).toBe(413);
      const declared = await upload(runId, form(mp4()), { "content-length": String(5 * 1024 * 1024) });
      expect(declared.status).toBe(413);
      expect((await upload(runId, form(mp4(1024 * 1024)))).status).toBe(201);
    } finally {
      delete process.env.ZOETROPE_MAX_UPLOAD_MB;
    }
  });

  it("answers 422 for missing or bad fields and 404 for an unknown run, storing nothing", async () => {
    const runId = await newRun();
    expect((await upload(runId, form(null))).status).toBe(422);
    expect((await upload(runId, form(mp4(), { step: "1" }))).status).toBe(422);
    expect((await upload(runId, form(mp4(), { name: "x", step: "-1" }))).status).toBe(422);
    expect((await upload(runId, form(mp4(), { name: "x", step: "ten" }))).status).toBe(422);
    expect((await upload(runId, form(mp4(), { name: "x", step: "1", fps: "0" }))).status).toBe(422);
    expect((await upload("nope", form(mp4()))).status).toBe(404);
    expect(fs.existsSync(path.join(tempDb.dataDir, "samples", runId))).toBe(false);
    expect(fs.existsSync(path.join(tempDb.dataDir, "samples", "nope"))).toBe(false);
  });
});

describe("GET /api/runs/:id/samples", () => {
  it("lists by name then step", async () => {
    const runId = await newRun();
    for (const [name, step] of [["b", "5"], ["a", "20"], ["a", "3"]]) await upload(runId, form(png(2, 2), { name, step }));
    const res = await call(samples.GET, "GET", `/api/runs/${runId}/samples`, { id: runId });
    const list = (await bodyOf(res)).samples;
    expect(list.map((s: { name: string; step: number }) => `${s.name}@${s.step}`)).toEqual(["a@3", "a@20", "b@5"]);
    expect((await call(samples.GET, "GET", "/x", { id: "nope" })).status).toBe(404);
  });
});

describe("GET /api/samples/:id", () => {
  async function stored(bytes = mp4(4096)) {
    const runId = await newRun();
    const s = await bodyOf(await upload(runId, form(bytes)));
    return { id: s.id as string, bytes };
  }

  it("serves the bytes with their type, nosniff, Content-Length and Accept-Ranges", async () => {
    const { id, bytes } = await stored();
    const res = await fetchSample(id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("video/mp4");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("accept-ranges")).toBe("bytes");
    expect(res.headers.get("content-length")).toBe("4096");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });

  it("answers a byte range with 206 and Content-Range", async () => {
    const { id, bytes } = await stored();
    const cases: [string, number, number][] = [
      ["bytes=100-199", 100, 199],
      ["bytes=4000-", 4000, 4095],
      ["bytes=-96", 4000, 4095],
      ["bytes=4000-99999", 4000, 4095],
      ["bytes=0-0", 0, 0],
    ];
    for (const [range, start, end] of cases) {
      const res = await fetchSample(id, { range });
      expect(res.status, range).toBe(206);
      expect(res.headers.get("content-range")).toBe(`bytes ${start}-${end}/4096`);
      expect(res.headers.get("content-length")).toBe(String(end - start + 1));
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes.subarray(start, end + 1));
    }
  });

  it("answers 416 for unsatisfiable ranges and ignores ones it cannot parse", async () => {
    const { id } = await stored();
    for (const range of ["bytes=4096-", "bytes=5000-6000", "bytes=200-100", "bytes=-0"]) {
      const res = await fetchSample(id, { range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get("content-range")).toBe("bytes */4096");
      expect((await res.json()).error.code).toBe("range_not_satisfiable");
    }
    for (const range of ["items=0-1", "bytes=abc", "bytes=0-1,5-6"]) {
      expect((await fetchSample(id, { range })).status, range).toBe(200);
    }
  });

  it("answers HEAD with headers only", async () => {
    const { id } = await stored();
    const res = await fetchSample(id, {}, "HEAD");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe("4096");
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it("answers 404 for an unknown sample", async () => {
    expect((await fetchSample("nope")).status).toBe(404);
  });
});
