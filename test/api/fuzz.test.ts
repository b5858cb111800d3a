// A seeded, time-bounded fuzz of every route handler and of the request interceptor, on a real SQLite file:
// malformed encodings, unpaired surrogates, deep nesting, wrong types, oversize and truncated bodies, bad multipart
// and broken zips. What must hold for every answer: no status >= 500, every error in the API's JSON shape, and
// nothing accepted that cannot be read back as it was sent.
//
//   ZOETROPE_FUZZ_SEED=<n>   another sequence (default 17)
//   ZOETROPE_FUZZ_MS=<ms>    the time budget (default 12,000)
//   ZOETROPE_FUZZ_CASE=<n>   replay one case of the seed, as a failure names it
import "../helpers/temp-db";
import { unzipSync } from "fflate";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { gif } from "./fixtures";
import { bodyOf, call, noParams, request } from "./http";
import { badMultipart, badZip, broken, caseSeed, deepJson, form, media, mutate, rawPath, Rng, SERIES, seriesBody, text, trickyJson, value } from "./fuzz-inputs";
import { METHODS, ROUTES, paramNames, urlOf, type AppRoute, type Method } from "./routes";
import { newExperiment, newRun } from "./setup";

const SEED = Number(process.env.ZOETROPE_FUZZ_SEED ?? 17);
const BUDGET_MS = Number(process.env.ZOETROPE_FUZZ_MS ?? 12_000);
const ONLY = process.env.ZOETROPE_FUZZ_CASE === undefined ? undefined : Number(process.env.ZOETROPE_FUZZ_CASE);

const route = (folder: string) => ROUTES.find((r) => r.folder === folder)!;

interface Fixtures {
  experimentId: string;
  runId: string;
  sampleId: string;
  checkpointId: string;
  token: string;
  bundle: Record<string, Uint8Array>;
}

let fx: Fixtures;

async function arrange(): Promise<Fixtures> {
  const experimentId = await newExperiment("fuzz");
  const runId = await newRun({ name: "fuzzed", hparams: { lr: 2e-4, g: { z: 64 } } });
  await call(route("api/runs/[id]/metrics").handlers.POST!, "POST", "/x", { id: runId }, { body: { batch: 0, series: { loss: { steps: [0, 1, 2], values: [1, 0.5, null] } } } });
  const f = new FormData();
  f.set("file", new Blob([gif(8, 8, 2)]), "s.gif");
  f.set("name", "grid");
  f.set("step", "2");
  const sample = await bodyOf(await call(route("api/runs/[id]/samples").handlers.POST!, "POST", "/x", { id: runId }, { body: f }));
  const c = new FormData();
  c.set("modelJson", JSON.stringify({ weightSpecs: [{ name: "w", shape: [2], dtype: "float32" }] }));
  c.set("weights", new Blob([new Uint8Array(8)]));
  c.set("step", "1");
  const checkpoint = await bodyOf(await call(route("api/runs/[id]/checkpoints").handlers.POST!, "POST", "/x", { id: runId }, { body: c }));
  const link = await bodyOf(await call(route("api/share").handlers.POST!, "POST", "/api/share", noParams, { body: { type: "run", ids: [runId] } }));
  const zip = new Uint8Array(await (await call(route("api/runs/[id]/export").handlers.GET!, "GET", "/x", { id: runId })).arrayBuffer());
  return { experimentId, runId, sampleId: sample.id, checkpointId: checkpoint.id, token: (link.url as string).slice(3), bundle: unzipSync(zip) };
}

/** A valid id for a param, a hostile string, or (for DELETE) a record made to be deleted. */
async function paramValue(rng: Rng, name: string, folder: string, method: Method): Promise<string> {
  if (rng.chance(0.35)) return text(rng, true) || "x"; // Next decodes params: they are always well-formed
  if (method === "DELETE" && name === "id") {
    if (folder.startsWith("api/experiments")) return newExperiment("doomed");
    if (folder === "api/runs/[id]") return newRun();
    if (folder === "api/share/[id]") {
      const link = await call(route("api/share").handlers.POST!, "POST", "/api/share", noParams, { body: { type: "run", ids: [fx.runId] } });
      return (await bodyOf(link)).id;
    }
  }
  switch (name) {
    case "token":
      return fx.token;
    case "cid":
      return fx.checkpointId;
    default:
      if (folder.includes("experiments")) return fx.experimentId;
      if (folder.includes("samples/[id]")) return fx.sampleId;
      return fx.runId;
  }
}

const QUERY_KEYS = ["experimentId", "q", "keys", "maxPoints", "from", "to", "format", "step"];
const QUERIES = ['params.lr > 1e-4 and status = "finished"', "metrics.loss < 0.5", "(".repeat(3000), "not ".repeat(500) + "seed = 1", 'name ~ "x" or', "seed = 1e999", "params." + "a.".repeat(1000) + "b = 1"];

function queryString(rng: Rng): string {
  const q = new URLSearchParams();
  for (let n = rng.int(4); n > 0; n--) {
    const key = rng.pick(QUERY_KEYS);
    const v = key === "q" && rng.chance(0.5) ? rng.pick(QUERIES) : key === "experimentId" && rng.chance(0.5) ? fx.experimentId : key === "format" && rng.chance(0.5) ? rng.pick(["zip", "csv", "json", "binary"]) : text(rng, true);
    q.append(key, v);
  }
  const s = q.toString();
  // Raw escapes URLSearchParams would never write: they decode to U+FFFD, never to a lone surrogate.
  return s ? `?${s}${rng.chance(0.2) ? "&x=%ff%ed%a0%80%" : ""}` : "";
}

/** A valid body for the route, the shape mutations start from. */
function template(folder: string, rng: Rng): Record<string, unknown> {
  switch (folder) {
    case "api/experiments":
      return { title: text(rng), notebook: rng.chance(0.5) ? text(rng) : undefined };
    case "api/experiments/[id]":
      return { title: text(rng), notebook: text(rng), baseVersion: rng.int(3) };
    case "api/runs":
      return { experimentId: fx.experimentId, name: text(rng), code: text(rng), hparams: { lr: 1e-4, tag: text(rng) }, seed: 1, backend: "cpu", device: { gpu: text(rng) } };
    case "api/runs/[id]":
      return { status: rng.pick(["finished", "failed", "running"]), error: text(rng), hparams: { lr: value(rng) }, seed: rng.pick([1, -1, 2 ** 40]) };
    case "api/runs/[id]/metrics":
      return rng.chance(0.5)
        ? { batch: rng.int(50), points: [{ key: text(rng), step: rng.int(5), value: rng.pick([1, null, 0.5]), time: 1.7e12 }] }
        : { batch: rng.int(50), series: { [text(rng)]: { steps: [0, 1], values: [1, null] } } };
    case "api/share":
      return { type: rng.pick(["run", "experiment", "compare", "other"]), ids: [fx.runId, ...(rng.chance(0.3) ? [text(rng)] : [])], expiresAt: rng.chance(0.3) ? text(rng) : undefined };
    case "api/auth/login":
      return { password: text(rng) };
    default:
      return (value(rng) as Record<string, unknown>) ?? {};
  }
}

interface Built {
  body?: string | Uint8Array | FormData;
  headers: Record<string, string>;
  /** The JSON the body holds, when an accepted write should read back as it. */
  sent?: Record<string, unknown>;
}

const JSON_TYPE = { "content-type": "application/json" };

function body(folder: string, rng: Rng): Built {
  const roll = rng.int(20);
  if (folder === "api/runs/[id]/samples" && roll < 10) {
    const fields = { file: media(rng), name: text(rng), step: rng.pick(["0", "-1", "1.5", "x", "2147483648", ""]), fps: rng.pick(["8", "0", "1e999", undefined]), width: rng.pick(["1", undefined, "-3"]) };
    return { body: form(rng, mutate(fields, rng)), headers: {} };
  }
  if (folder === "api/runs/[id]/checkpoints" && roll < 10) {
    const model = rng.chance(0.5) ? JSON.stringify({ weightSpecs: [{ name: "w", shape: [2], dtype: "float32" }], modelTopology: value(rng) }) : trickyJson({ weightSpecs: [], modelTopology: {} }, rng);
    return { body: form(rng, mutate({ modelJson: model, weights: new Uint8Array(rng.pick([0, 8, 9])), step: rng.pick(["1", "-1", "x"]) }, rng)), headers: {} };
  }
  if (folder === "api/runs/import" && roll < 12) return { body: badZip(fx.bundle, rng), headers: { "content-type": rng.pick(["application/zip", "application/x-zip-compressed", "application/zip; charset=x"]) } };
  if (folder === "api/runs/[id]/metrics" && roll < 4) return { body: seriesBody(rng), headers: { "content-type": SERIES } };
  switch (roll % 10) {
    case 0:
    case 1:
    case 2: {
      const sent = mutate(template(folder, rng), rng);
      return { body: JSON.stringify(sent), headers: JSON_TYPE, sent };
    }
    case 3: {
      const sent = template(folder, rng);
      return { body: JSON.stringify(sent), headers: JSON_TYPE, sent };
    }
    case 4:
      return { body: trickyJson(template(folder, rng), rng), headers: JSON_TYPE };
    case 5:
      return { body: broken(JSON.stringify(template(folder, rng)), rng), headers: JSON_TYPE };
    case 6:
      return { body: rng.chance(0.1) ? deepJson(100_000, rng) : JSON.stringify(value(rng)), headers: JSON_TYPE };
    case 7: {
      const bad = badMultipart(rng);
      return { body: bad.body, headers: { "content-type": bad.type } };
    }
    case 8:
      return { body: rng.bytes(rng.int(2048)), headers: { "content-type": rng.pick(["application/json", "application/zip", SERIES, "text/plain", "", "a/b;;;", "multipart/form-data; boundary=x"]) } };
    default:
      // Oversize: past the route's limit (uploads and imports are small in this file), or a lying Content-Length.
      return rng.chance(0.5)
        ? { body: "x".repeat(rng.pick([300 * 1024, 600 * 1024, 2 * 1024 * 1024 + 1])), headers: { "content-type": rng.pick(["application/json", "application/zip", "multipart/form-data; boundary=x"]) } }
        : { body: "{}", headers: { ...JSON_TYPE, "content-length": rng.pick(["999999999999", "-1", "abc", "1e3"]) } };
  }
}

interface Case {
  method: Method;
  url: string;
  status: number;
  text: string;
  note: string;
}

const failures: string[] = [];
const fail = (n: number, c: Case) => {
  if (failures.length < 20) failures.push(`case ${n} (ZOETROPE_FUZZ_SEED=${SEED} ZOETROPE_FUZZ_CASE=${n}): ${c.note}\n  ${c.method} ${c.url} → ${c.status} ${c.text.slice(0, 300)}`);
};

/** What every answer must be: below 500, and an error in the API's shape. */
async function checkAnswer(n: number, method: Method, url: string, res: Response): Promise<string> {
  const textBody = method === "HEAD" ? "" : await res.text();
  const c = { method, url, status: res.status, text: textBody };
  if (res.status >= 500 || res.status < 100) fail(n, { ...c, note: "status >= 500" });
  else if (res.status >= 400 && method !== "HEAD") {
    let shape = false;
    try {
      const parsed = JSON.parse(textBody);
      shape = typeof parsed?.error?.code === "string" && parsed.error.code !== "" && typeof parsed.error.message === "string";
    } catch {
      shape = false;
    }
    if (!shape || !/^application\/json/.test(res.headers.get("content-type") ?? "")) fail(n, { ...c, note: "error not in the API's JSON shape" });
  }
  return textBody;
}

/** An accepted write must read back as it was sent. */
async function checkReadBack(n: number, folder: string, method: Method, id: string, sent: Record<string, unknown>, answer: string) {
  const note = (what: string) => fail(n, { method, url: folder, status: 0, text: answer, note: `accepted, but ${what} does not read back` });
  if (folder === "api/experiments" && method === "POST") {
    const got = await bodyOf(await call(route("api/experiments/[id]").handlers.GET!, "GET", "/x", { id: JSON.parse(answer).id }));
    if (got.title !== (sent.title as string).trim()) note("the title");
    if (typeof sent.notebook === "string" && got.notebook !== sent.notebook) note("the notebook");
  }
  if (folder === "api/runs" && method === "POST") {
    const got = await bodyOf(await call(route("api/runs/[id]").handlers.GET!, "GET", "/x", { id: JSON.parse(answer).id }));
    if (got.code !== sent.code) note("the code");
    if (JSON.stringify(got.hparams) !== JSON.stringify(sent.hparams ?? {})) note("hparams");
  }
  if (folder === "api/runs/[id]" && method === "PATCH" && sent.hparams !== undefined) {
    const got = await bodyOf(await call(route("api/runs/[id]").handlers.GET!, "GET", "/x", { id }));
    if (JSON.stringify(got.hparams) !== JSON.stringify(sent.hparams)) note("hparams");
  }
  if (folder === "api/runs/[id]/metrics" && method === "POST" && !JSON.parse(answer).duplicate) {
    const keys = Array.isArray(sent.points) ? (sent.points as { key: string }[]).map((p) => p.key) : Object.keys((sent.series ?? {}) as object);
    for (const key of keys) {
      const got = await bodyOf(await call(route("api/runs/[id]/metrics").handlers.GET!, "GET", `/x?keys=${encodeURIComponent(key)}`, { id }));
      if (!got.series?.[key]) note(`metric key ${JSON.stringify(key)}`);
    }
  }
}

async function apiCase(n: number, rng: Rng) {
  const r: AppRoute = rng.pick(ROUTES);
  const method: Method = rng.pick(METHODS);
  const params: Record<string, string | string[]> = {};
  for (const p of paramNames(r.folder)) {
    params[p.name] = p.catchAll ? Array.from({ length: 1 + rng.int(3) }, () => text(rng, true) || "x") : await paramValue(rng, p.name, r.folder, method);
  }
  let url: string;
  try {
    url = urlOf(r.folder, params) + queryString(rng);
  } catch {
    return; // encodeURIComponent refuses what Next could never hand over
  }
  const built: Built = method === "GET" || method === "HEAD" ? { headers: {} } : body(r.folder, rng);
  if (rng.chance(0.2)) built.headers.range = rng.pick(["bytes=0-5", "bytes=-1", "bytes=9999999999-", "bytes=5-1", "bytes=x", "items=0-1"]);
  if (rng.chance(0.2)) built.headers.accept = rng.pick([SERIES, "*/*", "text/html"]);
  const handler = r.handlers[method] ?? (method === "HEAD" ? r.handlers.GET : undefined);
  if (!handler) return fail(n, { method, url, status: 0, text: "", note: "no handler: Next would answer with an empty 405" });
  let res: Response;
  try {
    res = await handler(request(method, url, { body: built.body, headers: built.headers }), { params: Promise.resolve(params) });
  } catch (err) {
    return fail(n, { method, url, status: 0, text: String((err as Error)?.stack ?? err), note: "the handler threw" });
  }
  const answer = await checkAnswer(n, method, url, res);
  if (res.status < 300 && built.sent && typeof params.id !== "object") await checkReadBack(n, r.folder, method, params.id as string, built.sent, answer);
}

/** The interceptor on raw paths (escapes that do not decode) and on forms posted to pages. */
async function proxyCase(n: number, rng: Rng) {
  const base = rng.pick(["/api/runs/abc", "/api/runs/x/checkpoints/y", "/runs/abc", `/s/${fx.token}/api/samples/x`, "/", "/experiments/x"]);
  const path = rawPath(rng, base);
  const method = rng.pick(["GET", "POST", "PUT", "DELETE"]);
  const form = method === "POST" && rng.chance(0.5) ? badMultipart(rng) : undefined;
  let res: Response;
  try {
    res = await proxy(new NextRequest(`http://127.0.0.1:3000${path}`, { method, body: form?.body, headers: { host: "127.0.0.1:3000", ...(form ? { "content-type": form.type } : {}) } }));
  } catch (err) {
    return fail(n, { method: method as Method, url: path, status: 0, text: String(err), note: "the proxy threw" });
  }
  if (res.headers.get("x-middleware-next") === "1") {
    let decodes = true;
    try {
      decodeURIComponent(path);
    } catch {
      decodes = false;
    }
    if (!decodes) fail(n, { method: method as Method, url: path, status: res.status, text: "", note: "a path Next cannot decode went through" });
    return;
  }
  await checkAnswer(n, method as Method, path, res);
}

/** After the fuzz: every record in the database reads back through the API, and every run exports. */
async function readEverythingBack() {
  const problems: string[] = [];
  const { experiments } = await bodyOf(await call(route("api/experiments").handlers.GET!, "GET", "/api/experiments", noParams));
  for (const e of experiments) {
    const res = await call(route("api/experiments/[id]").handlers.GET!, "GET", "/x", { id: e.id });
    if (res.status !== 200) problems.push(`experiment ${e.id}: ${res.status}`);
  }
  const { runs } = await bodyOf(await call(route("api/runs").handlers.GET!, "GET", "/api/runs", noParams));
  for (const r of runs) {
    for (const format of ["zip", "csv", "json"]) {
      const res = await call(route("api/runs/[id]/export").handlers.GET!, "GET", `/x?format=${format}`, { id: r.id });
      if (res.status !== 200) problems.push(`run ${r.id} export ${format}: ${res.status}`);
    }
    const { keys } = await bodyOf(await call(route("api/runs/[id]/metrics/keys").handlers.GET!, "GET", "/x", { id: r.id }));
    for (const { key, count } of keys as { key: string; count: number }[]) {
      const got = await bodyOf(await call(route("api/runs/[id]/metrics").handlers.GET!, "GET", `/x?keys=${encodeURIComponent(key)}&maxPoints=1000000`, { id: r.id }));
      if (got.series?.[key]?.total !== count) problems.push(`run ${r.id}: key ${JSON.stringify(key)} is listed with ${count} points, reads ${got.series?.[key]?.total}`);
    }
    const { samples } = await bodyOf(await call(route("api/runs/[id]/samples").handlers.GET!, "GET", "/x", { id: r.id }));
    for (const s of samples) {
      const res = await call(route("api/samples/[id]").handlers.GET!, "GET", "/x", { id: s.id });
      if (res.status !== 200 || (await res.arrayBuffer()).byteLength !== s.bytes) problems.push(`sample ${s.id}: ${res.status}`);
    }
  }
  const shares = await call(route("api/share").handlers.GET!, "GET", "/api/share", noParams);
  if (shares.status !== 200) problems.push(`share list: ${shares.status}`);
  return { problems, runs: runs.length, experiments: experiments.length };
}

const LIMITS = { ZOETROPE_MAX_UPLOAD_MB: String(256 / 1024), ZOETROPE_MAX_IMPORT_MB: String(512 / 1024) };

describe(`fuzz (seed ${SEED}, ${BUDGET_MS} ms)`, () => {
  beforeAll(async () => {
    // Small upload and import limits, so oversize bodies are cheap to make.
    Object.assign(process.env, LIMITS);
    fx = await arrange();
  });
  afterAll(() => {
    for (const k of Object.keys(LIMITS)) delete process.env[k];
  });

  it("answers every hostile request below 500, errors in the API's shape, and stores only what reads back", async () => {
    const deadline = performance.now() + BUDGET_MS;
    let n = ONLY ?? 0;
    let cases = 0;
    for (; ONLY === undefined ? performance.now() < deadline : cases < 1; n++, cases++) {
      const rng = new Rng(caseSeed(SEED, n));
      if (rng.chance(0.12)) await proxyCase(n, rng);
      else await apiCase(n, rng);
      if (failures.length >= 20) break;
    }
    const after = await readEverythingBack();
    console.log(`fuzz: seed ${SEED}, ${cases} cases; ${after.experiments} experiments and ${after.runs} runs read back`);
    expect([...failures, ...after.problems].join("\n\n")).toBe("");
    if (ONLY === undefined) expect(cases).toBeGreaterThan(200);
  });
});
