// The classes of hostile input from issue 17, one behaviour each, through the real route handlers on a real SQLite
// file: strings the database cannot store, deep nesting, reserved keys, infinite values, methods and paths no route
// answers, and what the request interceptor must refuse before Next's own code fails on it.
import { tempDb } from "../helpers/temp-db";
import { strToU8, unzipSync, zipSync, type Zippable } from "fflate";
import type { NextConfig } from "next";
import { NextRequest } from "next/server";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it, vi } from "vitest";
import * as experiments from "@/app/api/experiments/route";
import * as experiment from "@/app/api/experiments/[id]/route";
import * as runs from "@/app/api/runs/route";
import * as run from "@/app/api/runs/[id]/route";
import * as metrics from "@/app/api/runs/[id]/metrics/route";
import * as metricKeys from "@/app/api/runs/[id]/metrics/keys/route";
import * as checkpoints from "@/app/api/runs/[id]/checkpoints/route";
import * as runExport from "@/app/api/runs/[id]/export/route";
import * as importer from "@/app/api/runs/import/route";
import * as shares from "@/app/api/share/route";
import { proxy } from "@/proxy";
import { MAX_JSON_DEPTH } from "@/lib/tracker/json-input";
import { runCreate } from "@/lib/tracker/schemas";
import { FORM_OVERHEAD_BYTES, METRIC_BODY_BYTES, PAGE_FORM_BYTES, maxImportBytes, maxUploadBytes } from "@/lib/tracker/limits";
import { SERIES_MIME, decodeSeries, encodeSeries } from "@/lib/tracker/series-wire";
import { bodyOf, call, noParams } from "./http";
import { METHODS, ROUTES, routeFilesOnDisk, urlOf, paramNames } from "./routes";
import { newExperiment, newRun } from "./setup";

const LONE = "\ud800";
const deep = (levels: number, leaf: unknown = 1): unknown => {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};
/** JSON text nested `levels` deep, built as text: JSON.stringify itself would overflow on it. */
const deepText = (levels: number) => '{"a":'.repeat(levels) + "1" + "}".repeat(levels);

const count = async (table: string) => (await tempDb.query<{ n: number }>(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM "${table}"`))[0].n;

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = await bodyOf(res);
  expect(body.error).toMatchObject({ code, message: expect.any(String) });
  return body.error as { code: string; message: string; issues?: { path: string }[] };
}

const createExperiment = (body: unknown) => call(experiments.POST, "POST", "/api/experiments", noParams, { body });
const createRun = (body: unknown) => call(runs.POST, "POST", "/api/runs", noParams, { body });
const postMetrics = (id: string, body: unknown, headers?: Record<string, string>) =>
  call(metrics.POST, "POST", `/api/runs/${id}/metrics`, { id }, { body, headers });

describe("strings the database cannot store", () => {
  it("refuses an unpaired surrogate in every text field with 400 malformed_text, storing nothing", async () => {
    const experimentId = await newExperiment();
    const runId = await newRun();
    const [experiments0, runs0] = [await count("Experiment"), await count("Run")];
    const cases: [string, () => Promise<Response>][] = [
      ["experiment title", () => createExperiment({ title: `t${LONE}` })],
      ["notebook", () => createExperiment({ title: "t", notebook: `x${LONE}` })],
      ["notebook patch", () => call(experiment.PATCH, "PATCH", "/x", { id: experimentId }, { body: { notebook: LONE } })],
      ["run code", () => createRun({ experimentId, code: `log(${LONE})` })],
      ["run name", () => createRun({ experimentId, code: "", name: LONE })],
      ["run experimentId", () => createRun({ experimentId: `${experimentId}${LONE}`, code: "" })],
      ["hparams value", () => createRun({ experimentId, code: "", hparams: { tag: ["ok", LONE] } })],
      ["hparams key", () => createRun({ experimentId, code: "", hparams: { [`k${LONE}`]: 1 } })],
      ["run error", () => call(run.PATCH, "PATCH", "/x", { id: runId }, { body: { status: "failed", error: LONE } })],
      ["share ids", () => call(shares.POST, "POST", "/api/share", noParams, { body: { type: "run", ids: [LONE] } })],
      ["metric key (points)", () => postMetrics(runId, { batch: 1, points: [{ key: `k${LONE}`, step: 0, value: 1 }] })],
      ["metric key (series)", () => postMetrics(runId, { batch: 2, series: { [`k${LONE}`]: { steps: [0], values: [1] } } })],
    ];
    for (const [what, send] of cases) {
      const res = await send();
      expect(res.status, what).toBe(400);
      expect((await bodyOf(res)).error.code, what).toBe("malformed_text");
    }
    expect([await count("Experiment"), await count("Run")]).toEqual([experiments0, runs0]);
  });

  it("refuses a metric key with an unpaired surrogate in the binary form too: no key is listed that cannot be read", async () => {
    const runId = await newRun();
    const body = encodeSeries([[`k${LONE}`, { steps: new Float64Array([0]), values: new Float64Array([1]), times: new Float64Array([1]) }]], { batch: 0 });
    await expectError(await postMetrics(runId, body, { "content-type": SERIES_MIME }), 422, "invalid_input");
    const { keys } = await bodyOf(await call(metricKeys.GET, "GET", "/x", { id: runId }));
    expect(keys).toEqual([]);
  });

  it("stores and reads back every well-formed text, astral characters included", async () => {
    const title = "GAN 😀 — ünïcode ✓ \u{10FFFF}";
    const { id } = await bodyOf(await createExperiment({ title, notebook: "// %%\nlog('😀', 1)" }));
    expect(await bodyOf(await call(experiment.GET, "GET", "/x", { id }))).toMatchObject({ title, notebook: "// %%\nlog('😀', 1)" });
    const runId = await newRun({ name: "😀", hparams: { "ключ": "値 😀" } });
    await postMetrics(runId, { batch: 0, points: [{ key: "loss 😀", step: 0, value: 1 }] });
    expect(await bodyOf(await call(run.GET, "GET", "/x", { id: runId }))).toMatchObject({ name: "😀", hparams: { "ключ": "値 😀" } });
    const read = await bodyOf(await call(metrics.GET, "GET", `/x?keys=${encodeURIComponent("loss 😀")}`, { id: runId }));
    expect(read.series["loss 😀"].values).toEqual([1]);
  });
});

describe("deep nesting", () => {
  it("refuses 100,000 levels in hparams, device and a run patch with 400 too_deep", async () => {
    const experimentId = await newExperiment();
    const runId = await newRun();
    const text = deepText(100_000);
    for (const [send, what] of [
      [() => createRun(`{"experimentId":"${experimentId}","code":"","hparams":${text}}`), "hparams"],
      [() => createRun(`{"experimentId":"${experimentId}","code":"","device":${text}}`), "device"],
      [() => call(run.PATCH, "PATCH", "/x", { id: runId }, { body: `{"hparams":${text}}` }), "patch"],
      [() => postMetrics(runId, `{"batch":0,"points":[${text}]}`), "metrics"],
    ] as const) {
      const err = await expectError(await send(), 400, "too_deep");
      expect(err.message, what).toContain(`deeper than ${MAX_JSON_DEPTH} levels`);
    }
  });

  it("takes hparams up to the limit and reads them back", async () => {
    const hparams = deep(MAX_JSON_DEPTH - 1) as Record<string, unknown>;
    const runId = await newRun({ hparams });
    expect((await bodyOf(await call(run.GET, "GET", "/x", { id: runId }))).hparams).toEqual(hparams);
  });

  it("refuses a checkpoint whose modelTopology nests 100,000 levels", async () => {
    const runId = await newRun();
    const form = new FormData();
    form.set("modelJson", `{"modelTopology":${deepText(100_000)},"weightSpecs":[]}`);
    form.set("weights", new Blob([new Uint8Array(0)]));
    form.set("step", "1");
    await expectError(await call(checkpoints.POST, "POST", "/x", { id: runId }, { body: form }), 400, "too_deep");
  });

  it("answers a run query of 3,000 '(' with 400 invalid_query", async () => {
    const res = await call(runs.GET, "GET", `/api/runs?q=${"(".repeat(3000)}`, noParams);
    const err = await expectError(res, 400, "invalid_query");
    expect(err.message).toMatch(/^nested deeper than 64 levels/);
  });
});

describe("keys and numbers that would not read back", () => {
  it("refuses a __proto__ key in hparams with 422 and its path; other Object.prototype names are kept", async () => {
    const experimentId = await newExperiment();
    const err = await expectError(await createRun(`{"experimentId":"${experimentId}","code":"","hparams":{"g":{"__proto__":{"lr":1}}}}`), 422, "invalid_input");
    expect(err.issues).toEqual([{ path: "hparams.g.__proto__", message: "the key __proto__ is reserved" }]);
    const hparams = { constructor: 1, toString: "x", hasOwnProperty: [1] };
    const runId = await newRun({ hparams });
    expect((await bodyOf(await call(run.GET, "GET", "/x", { id: runId }))).hparams).toEqual(hparams);
  });

  it("refuses hparams numbers JSON cannot hold (1e999) instead of storing null", async () => {
    const experimentId = await newExperiment();
    const err = await expectError(await createRun(`{"experimentId":"${experimentId}","code":"","hparams":{"lr":1e999}}`), 422, "invalid_input");
    expect(err.issues?.[0].path).toBe("hparams.lr");
  });

  it("checks what the CLI records without HTTP the same way, except infinite hparams, which JSON prints as null", () => {
    const base = { experimentId: "e", code: "" };
    expect(runCreate.safeParse({ ...base, hparams: { clip: Infinity } }).success).toBe(true);
    for (const bad of [{ ...base, name: LONE }, { ...base, hparams: { a: [LONE] } }, { ...base, hparams: JSON.parse('{"__proto__":1}') }, { ...base, hparams: deep(100) }]) {
      expect(runCreate.safeParse(bad).success, JSON.stringify(Object.keys(bad))).toBe(false);
    }
  });

  it("keeps ±Infinity apart from NaN where the format can: binary reads and CSV export; JSON reads give null", async () => {
    const runId = await newRun();
    expect((await postMetrics(runId, '{"batch":0,"series":{"v":{"steps":[0,1,2,3],"values":[1e999,-1e999,null,2]}}}')).status).toBe(200);
    const json = await bodyOf(await call(metrics.GET, "GET", "/x?keys=v", { id: runId }));
    expect(json.series.v.values).toEqual([null, null, null, 2]);
    const bin = await call(metrics.GET, "GET", "/x?keys=v&format=binary", { id: runId });
    expect(Array.from(decodeSeries(await bin.arrayBuffer()).get("v")!.values)).toEqual([Infinity, -Infinity, NaN, 2]);
    const csv = await (await call(runExport.GET, "GET", "/x?format=csv", { id: runId })).text();
    expect(csv.split("\n").slice(1).map((row) => row.split(",")[2])).toEqual(["Infinity", "-Infinity", "NaN", "2"]);
  });
});

describe("methods and paths no route answers", () => {
  it("lists every route file in test/api/routes.ts", () => {
    expect(ROUTES.map((r) => r.folder).sort()).toEqual(routeFilesOnDisk());
  });

  it("answers every method on every route file, unanswered ones with a JSON 405 naming what is allowed", async () => {
    for (const { folder, handlers } of ROUTES) {
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const) {
        expect(typeof handlers[method], `${method} ${folder}`).toBe("function");
      }
      const params = Object.fromEntries(paramNames(folder).map((p) => [p.name, p.catchAll ? ["x"] : "x"]));
      const allowed = (await handlers.OPTIONS!(new Request(`http://localhost${urlOf(folder, params)}`, { method: "OPTIONS" }), { params: Promise.resolve(params) }));
      if (folder.endsWith("[[...slug]]")) continue;
      expect(allowed.status, folder).toBe(204);
      const allow = allowed.headers.get("allow")!.split(", ");
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
        if (allow.includes(method)) continue;
        const res = await handlers[method]!(new Request(`http://localhost${urlOf(folder, params)}`, { method }), { params: Promise.resolve(params) });
        const err = await expectError(res, 405, "method_not_allowed");
        expect(res.headers.get("allow"), `${method} ${folder}`).toBe(allowed.headers.get("allow"));
        expect(err.message).toContain(`${method} is not allowed here`);
      }
    }
  });

  it("answers an unknown /api path with a JSON 404 for every method, and a link's unknown path like an unknown link", async () => {
    const [api, shared] = [ROUTES.find((r) => r.folder === "api/[[...slug]]")!, ROUTES.find((r) => r.folder === "s/[token]/api/[[...slug]]")!];
    for (const method of METHODS.filter((m) => m !== "HEAD")) {
      const res = await api.handlers[method]!(new Request("http://localhost/api/nope/x", { method }), { params: Promise.resolve({ slug: ["nope", "x"] }) });
      expect((await expectError(res, 404, "not_found")).message).toBe("no API route at /api/nope/x");
      const viaLink = await shared.handlers[method]!(new Request("http://localhost/s/t/api/x", { method }), { params: Promise.resolve({ token: "t", slug: ["x"] }) });
      expect(await bodyOf(viaLink)).toEqual({ error: { code: "not_found", message: "not found" } });
    }
  });
});

describe("the request interceptor (proxy.ts)", () => {
  const req = (method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}) =>
    new NextRequest(`http://127.0.0.1:3000${path}`, { method, body: init.body, headers: { host: "127.0.0.1:3000", ...init.headers } });
  const passes = (res: Response) => res.headers.get("x-middleware-next") === "1";

  it("answers a path Next cannot decode with a JSON 400, on API and page paths alike", async () => {
    for (const path of ["/api/runs/%ff%fe", "/api/runs/abc%", "/api/runs/x/checkpoints/%zz", "/s/%ed%a0%80/api/samples/x", "/runs/%ff", "/%"]) {
      const res = await proxy(req("GET", path));
      expect(res.status, path).toBe(400);
      expect(await bodyOf(res)).toEqual({ error: { code: "malformed_path", message: "the path has a percent-escape that is not UTF-8" } });
    }
    for (const path of ["/api/runs/%20x", "/api/runs/%F0%9F%98%80", "/runs/a%2Fb"]) expect(passes(await proxy(req("GET", path))), path).toBe(true);
  });

  it("parses a multipart body posted to a page first: 400 when it does not parse, 413 over the server actions' limit", async () => {
    const type = { "content-type": "multipart/form-data; boundary=XYZ" };
    const good = '--XYZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--XYZ--\r\n';
    expect(passes(await proxy(req("POST", "/", { body: good, headers: type })))).toBe(true);
    const other = good.replaceAll("XYZ", "OTHER");
    await expectError(await proxy(req("POST", "/", { body: other, headers: type })), 400, "malformed_form");
    await expectError(await proxy(req("POST", "/runs", { body: "junk", headers: { "content-type": "multipart/form-data" } })), 400, "malformed_form");
    const big = "x".repeat(PAGE_FORM_BYTES + 1);
    await expectError(await proxy(req("POST", "/", { body: big, headers: type })), 413, "payload_too_large");
    // API routes parse their own bodies; other types go to Next, which answers them without failing.
    expect(passes(await proxy(req("POST", "/api/runs/x/samples", { body: other, headers: type })))).toBe(true);
    expect(passes(await proxy(req("POST", "/", { body: "a=%ff", headers: { "content-type": "application/x-www-form-urlencoded" } })))).toBe(true);
  });
});

const CONFIG = pathToFileURL(path.resolve("next.config.js")).href;

describe("size limits", () => {
  it("next.config.js lets every body a route takes through the proxy (Next cuts the rest silently)", async () => {
    const load = async (): Promise<NextConfig> => {
      vi.resetModules(); // the config reads the environment when it loads
      return (await import(/* @vite-ignore */ CONFIG)).default;
    };
    const largest = () => Math.max(maxUploadBytes() + FORM_OVERHEAD_BYTES, maxImportBytes(), METRIC_BODY_BYTES);
    for (const env of [{}, { ZOETROPE_MAX_UPLOAD_MB: "300" }, { ZOETROPE_MAX_IMPORT_MB: "1000" }, { ZOETROPE_MAX_UPLOAD_MB: "1", ZOETROPE_MAX_IMPORT_MB: "1" }]) {
      Object.assign(process.env, env);
      try {
        const limit = (await load()).experimental?.proxyClientMaxBodySize;
        // By more than a network read: the chunk that crosses Next's cut is dropped whole.
        expect(limit, JSON.stringify(env)).toBeGreaterThanOrEqual(largest() + 256 * 1024);
      } finally {
        delete process.env.ZOETROPE_MAX_UPLOAD_MB;
        delete process.env.ZOETROPE_MAX_IMPORT_MB;
      }
    }
    const serverActions = (await load()).experimental?.serverActions?.bodySizeLimit;
    expect(serverActions).toBe(`${PAGE_FORM_BYTES / 1024 / 1024}mb`);
  });
});

describe("an import that inflates hugely", () => {
  /** A valid bundle plus `entries` entries of `mb` MB of zeros each: small on the wire, huge unpacked. */
  async function bomb(entries: number, mb: number, name = (i: number) => `samples/zeros-${i}.bin`) {
    const runId = await newRun();
    const zip = new Uint8Array(await (await call(runExport.GET, "GET", "/x", { id: runId })).arrayBuffer());
    const files: Zippable = { ...unzipSync(zip) };
    for (let i = 0; i < entries; i++) files[name(i)] = new Uint8Array(mb * 1024 * 1024);
    return zipSync(files, { level: 9 });
  }
  const importZip = async (experimentId: string, body: Uint8Array) =>
    call(importer.POST, "POST", `/api/runs/import?experimentId=${experimentId}`, noParams, { body, headers: { "content-type": "application/zip" } });

  it("refuses entries past their own limit as they inflate, keeping nothing", async () => {
    process.env.ZOETROPE_MAX_UPLOAD_MB = "2";
    try {
      const target = await newExperiment("bombed");
      const zip = await bomb(8, 6);
      expect(zip.byteLength).toBeLessThan(1024 * 1024);
      const runs0 = await count("Run");
      const started = performance.now();
      const err = await expectError(await importZip(target, zip), 413, "payload_too_large");
      expect(err.message).toMatch(/^bundle: samples\/zeros-0\.bin (unpacks to more than|inflates more than 100 times)/);
      expect(performance.now() - started).toBeLessThan(10_000); // a bound for a broken budget, not a benchmark
      expect(await count("Run")).toBe(runs0);
    } finally {
      delete process.env.ZOETROPE_MAX_UPLOAD_MB;
    }
  });

  it("refuses a bundle whose metrics.csv unpacks past the import limit, text that compresses as text does", async () => {
    process.env.ZOETROPE_MAX_IMPORT_MB = "2";
    try {
      const target = await newExperiment("bombed");
      const rows = Array.from({ length: 120_000 }, (_, i) => `${i},loss/d,${Math.sin(i)},${1.7e12 + i}`).join("\n");
      const csv = zipSync({ "metrics.csv": strToU8(`step,key,value,time\n${rows}\n`), "run.json": strToU8("{}"), "code.ts": strToU8("") }, { level: 9 });
      expect(csv.byteLength).toBeLessThan(2 * 1024 * 1024);
      const err = await expectError(await importZip(target, csv), 413, "payload_too_large");
      expect(err.message).toContain("metrics.csv unpacks to more than the import limit");
    } finally {
      delete process.env.ZOETROPE_MAX_IMPORT_MB;
      delete process.env.ZOETROPE_MAX_UPLOAD_MB;
    }
  });

  it("refuses an imported run.json with an unpaired surrogate or deep hparams, keeping nothing", async () => {
    const runId = await newRun();
    const zip = unzipSync(new Uint8Array(await (await call(runExport.GET, "GET", "/x", { id: runId })).arrayBuffer()));
    const manifest = new TextDecoder().decode(zip["run.json"]);
    const target = await newExperiment("target");
    const runs0 = await count("Run");
    const named = manifest.replace(/"name": "[^"]*"/, '"name": "\\ud800"');
    const err = await expectError(await importZip(target, zipSync({ ...zip, "run.json": strToU8(named) })), 400, "malformed_text");
    expect(err.message).toBe("bundle: run.json.name: text with an unpaired UTF-16 surrogate cannot be stored");
    const deepHparams = manifest.replace(/"hparams": \{/, `"hparams": {"deep": ${deepText(100_000)},`);
    await expectError(await importZip(target, zipSync({ ...zip, "run.json": strToU8(deepHparams) })), 400, "too_deep");
    expect(await count("Run")).toBe(runs0);
  });
});
