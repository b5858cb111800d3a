// Hostile requests against the real server (scripts/server.js serving the production build, on a fresh SQLite file):
// the classes of issue 17 that live in the framework, in front of our handlers — path decoding, the proxy's body
// cut, form posts to pages, methods and paths no route answers, methods Next cannot take — then a short seeded fuzz
// over HTTP. Runs with the browser tests (vitest.browser.config.ts), which build the app once.
import { strToU8, unzipSync } from "fflate";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { zerosZip } from "../../bench/zip-bomb";
import { startServer, type TestServer } from "../browser/helpers";
import { badMultipart, badZip, broken, caseSeed, deepJson, form, media, mutate, rawPath, Rng, text, trickyJson, value } from "../api/fuzz-inputs";
import { gif } from "../api/fixtures";
import { ROUTES, paramNames, urlOf } from "../api/routes";

const MB = 1024 * 1024;
const SEED = Number(process.env.ZOETROPE_FUZZ_SEED ?? 17);
const BUDGET_MS = Number(process.env.ZOETROPE_FUZZ_MS ?? 12_000) / 2;

let server: TestServer;
const ids = { experiment: "", run: "", sample: "", checkpoint: "", token: "" };
let bundle: Record<string, Uint8Array>;

async function api(method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}) {
  return fetch(server.url + path, { method, body, headers, redirect: "manual" });
}
const postJson = async (path: string, body: unknown) => (await api("POST", path, JSON.stringify(body), { "content-type": "application/json" })).json();

/** A valid GIF of about `bytes` bytes: many tiny frames. */
function bigGif(bytes: number): Uint8Array<ArrayBuffer> {
  const one = gif(8, 8, 1);
  const head = one.subarray(0, 19); // header, screen descriptor, 2-colour table
  const frame = one.subarray(19, one.length - 1);
  const frames = Math.floor((bytes - 20) / frame.length);
  const out = new Uint8Array(19 + frames * frame.length + 1);
  out.set(head);
  for (let i = 0; i < frames; i++) out.set(frame, 19 + i * frame.length);
  out[out.length - 1] = 0x3b;
  return out;
}

function sampleForm(file: Uint8Array<ArrayBuffer>): FormData {
  const f = new FormData();
  f.set("file", new Blob([file]), "big.gif");
  f.set("name", "big");
  f.set("step", "1");
  return f;
}

/** The body as a stream: sent chunked, with no Content-Length for the server to check first. */
function chunked(bytes: Uint8Array): { body: ReadableStream<Uint8Array>; duplex: "half" } {
  return {
    body: new ReadableStream({
      start(c) {
        for (let at = 0; at < bytes.length; at += 64 * 1024) c.enqueue(bytes.slice(at, at + 64 * 1024));
        c.close();
      },
    }),
    duplex: "half",
  };
}

async function expectApiError(res: Response, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = await res.json();
  expect(body.error).toMatchObject({ code: code ?? expect.any(String), message: expect.any(String) });
}

beforeAll(async () => {
  server = await startServer();
  ids.experiment = (await postJson("/api/experiments", { title: "hostile" })).id;
  ids.run = (await postJson("/api/runs", { experimentId: ids.experiment, code: "// %%", hparams: { lr: 1 } })).id;
  await postJson(`/api/runs/${ids.run}/metrics`, { batch: 0, series: { loss: { steps: [0, 1], values: [1, 0.5] } } });
  ids.sample = (await (await api("POST", `/api/runs/${ids.run}/samples`, sampleForm(gif(8, 8, 2)))).json()).id;
  const c = new FormData();
  c.set("modelJson", JSON.stringify({ weightSpecs: [{ name: "w", shape: [2], dtype: "float32" }] }));
  c.set("weights", new Blob([new Uint8Array(8)]));
  c.set("step", "1");
  ids.checkpoint = (await (await api("POST", `/api/runs/${ids.run}/checkpoints`, c)).json()).id;
  ids.token = ((await postJson("/api/share", { type: "run", ids: [ids.run] })).url as string).slice(3);
  bundle = unzipSync(new Uint8Array(await (await api("GET", `/api/runs/${ids.run}/export`)).arrayBuffer()));
});

afterAll(async () => {
  await server?.stop();
});

/** Every route folder's URL with real ids, so a request reaches the handler behind it. */
const routeUrls = () =>
  ROUTES.map(({ folder }) => {
    const params = Object.fromEntries(
      paramNames(folder).map((p) => [p.name, p.catchAll ? ["no", "such"] : { token: ids.token, cid: ids.checkpoint }[p.name] ?? (folder.includes("samples/[id]") ? ids.sample : folder.includes("experiments") ? ids.experiment : ids.run)]),
    );
    return { folder, url: urlOf(folder, params) };
  });

describe("paths Next cannot decode", () => {
  it("answer a JSON 400 on every dynamic route and page, not a plain-text 500", async () => {
    for (const bad of ["%ff%fe", "abc%", "%ed%a0%80", "%zz"]) {
      for (const path of [`/api/runs/${bad}`, `/api/runs/${ids.run}/checkpoints/${bad}/model.json`, `/api/experiments/${bad}`, `/api/samples/${bad}`, `/s/${bad}`, `/s/${ids.token}/api/samples/${bad}`, `/runs/${bad}`, `/experiments/${bad}`, `/api/${bad}`]) {
        for (const method of ["GET", "POST", "DELETE"]) await expectApiError(await api(method, path), 400, "malformed_path");
      }
    }
  });
});

describe("methods and paths no route answers", () => {
  it("answer a JSON 405 with Allow on every API route, and OPTIONS names only what it takes", async () => {
    for (const { folder, url } of routeUrls()) {
      const options = await api("OPTIONS", url);
      if (folder.endsWith("[[...slug]]")) continue;
      expect(options.status, url).toBe(204);
      const allow = options.headers.get("allow")!;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"].filter((m) => !allow.split(", ").includes(m))) {
        const res = await api(method, url, method === "GET" ? undefined : "{}");
        await expectApiError(res, 405, "method_not_allowed");
        expect(res.headers.get("allow"), `${method} ${url}`).toBe(allow);
      }
    }
  });

  it("answer an unknown /api path with a JSON 404 for every method", async () => {
    for (const path of ["/api", "/api/", "/api/nope", "/api/runs/x/nope/deeper", `/s/${ids.token}/api/nope`]) {
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        const res = await api(method, path, method === "GET" ? undefined : "{}");
        if (res.status === 308) continue; // a trailing slash is redirected first
        await expectApiError(res, 404, "not_found");
      }
    }
  });
});

/** One request written to a socket as is (fetch refuses TRACE, TRACK and CONNECT), read until the server closes. */
function rawRequest(requestLine: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(`${requestLine}\r\nHost: ${hostname}:${port}\r\nConnection: close\r\n\r\n`));
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${requestLine}`)));
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [head, ...rest] = text.split("\r\n\r\n");
      const [statusLine, ...fields] = head.split("\r\n");
      const headers = Object.fromEntries(fields.map((f) => [f.slice(0, f.indexOf(":")).toLowerCase(), f.slice(f.indexOf(":") + 1).trim()]));
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? 0), headers, body: rest.join("\r\n\r\n") });
    });
  });
}

describe("methods Next cannot take", () => {
  const ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

  it("TRACE, TRACK and CONNECT answer 405, JSON on the API's paths, never a 5xx", async () => {
    const apiPaths = ["/api/experiments", `/api/runs/${ids.run}`, `/s/${ids.token}/api/runs/${ids.run}`, "/api/nope"];
    const pages = ["/", `/experiments/${ids.experiment}`, `/s/${ids.token}`];
    for (const method of ["TRACE", "TRACK", "CONNECT"]) {
      for (const path of [...apiPaths, ...pages]) {
        const res = await rawRequest(`${method} ${path} HTTP/1.1`);
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.allow).toBe(ALLOW);
        if (apiPaths.includes(path)) {
          expect(res.headers["content-type"]).toMatch(/^application\/json/);
          expect(JSON.parse(res.body).error).toEqual({ code: "method_not_allowed", message: expect.stringContaining(`${method} is not supported`) });
        } else {
          expect(res.headers["content-type"], `${method} ${path}`).toMatch(/^text\/plain/);
          expect(res.body).toContain(`${method} is not supported`);
        }
      }
    }
    // CONNECT as a proxy client sends it, to a host and port.
    const { host } = new URL(server.url);
    const tunnel = await rawRequest(`CONNECT ${host} HTTP/1.1`);
    expect(tunnel.status).toBe(405);
    // A TRACE through Node's HTTP client, on a connection kept alive for a GET after it.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const viaHttp = (method: string, path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${server.url}${path}`, { method, agent }, (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("error", reject);
        req.end();
      });
    const traced = await viaHttp("TRACE", "/api/experiments");
    expect(traced.status).toBe(405);
    expect(JSON.parse(traced.body).error.code).toBe("method_not_allowed");
    expect((await viaHttp("GET", "/api/experiments")).status).toBe(200);
    agent.destroy();
  });

  it("other methods the app does not take answer 405 too (routes would give an empty 400, pages a page)", async () => {
    for (const method of ["PROPFIND", "QUERY", "PURGE"]) {
      for (const path of ["/api/experiments", `/s/${ids.token}/api/runs/${ids.run}`]) {
        const res = await api(method, path);
        await expectApiError(res, 405, "method_not_allowed");
        expect(res.headers.get("allow")).toBe(ALLOW);
      }
      const page = await api(method, "/");
      expect(page.status).toBe(405);
      expect(page.headers.get("content-type")).toMatch(/^text\/plain/);
    }
    expect((await api("GET", "/api/experiments")).status).toBe(200);
  });
});

describe("forms posted to pages", () => {
  it("answer 400 whether or not they parse, never 500", async () => {
    for (const page of ["/", "/runs", `/experiments/${ids.experiment}`, "/login", `/s/${ids.token}`, "/no-such-page"]) {
      const good = await api("POST", page, '--XYZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--XYZ--\r\n', { "content-type": "multipart/form-data; boundary=XYZ" });
      expect(good.status, page).toBeLessThan(500);
      const bad = await api("POST", page, '--OTHER\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--OTHER--\r\n', { "content-type": "multipart/form-data; boundary=XYZ" });
      await expectApiError(bad, 400, "malformed_form");
      await expectApiError(await api("POST", page, "x", { "content-type": "multipart/form-data" }), 400, "malformed_form");
    }
  });
});

describe("the upload limit (ZOETROPE_MAX_UPLOAD_MB, 20 by default) through the proxy", () => {
  it("accepts a 15 MB GIF and refuses a 21 MB one with 413, with and without Content-Length", async () => {
    const accepted = await api("POST", `/api/runs/${ids.run}/samples`, sampleForm(bigGif(15 * MB)));
    expect(accepted.status).toBe(201);
    expect((await accepted.json()).bytes).toBeGreaterThan(14 * MB);
    // The form as bytes and its type, so the same body can be sent with a Content-Length and chunked.
    const encoded = new Response(sampleForm(bigGif(21 * MB)));
    const headers = { "content-type": encoded.headers.get("content-type")! };
    const body = new Uint8Array(await encoded.arrayBuffer());
    await expectApiError(await api("POST", `/api/runs/${ids.run}/samples`, body, headers), 413, "payload_too_large");
    await expectApiError(await fetch(`${server.url}/api/runs/${ids.run}/samples`, { method: "POST", headers, ...chunked(body) } as RequestInit), 413, "payload_too_large");
  });

  it("accepts a checkpoint of 15 MB of weights and an import over 10 MB", async () => {
    const c = new FormData();
    c.set("modelJson", JSON.stringify({ weightSpecs: [{ name: "w", shape: [(15 * MB) / 4], dtype: "float32" }] }));
    c.set("weights", new Blob([new Uint8Array(15 * MB)]));
    c.set("step", "2");
    expect((await api("POST", `/api/runs/${ids.run}/checkpoints`, c)).status).toBe(201);
    const exported = new Uint8Array(await (await api("GET", `/api/runs/${ids.run}/export`)).arrayBuffer());
    expect(exported.byteLength).toBeGreaterThan(10 * MB);
    const imported = await api("POST", `/api/runs/import?experimentId=${ids.experiment}`, exported, { "content-type": "application/zip" });
    expect(imported.status).toBe(201);
  });
});

describe("an import that inflates hugely", () => {
  it("is refused with 413 while other requests are answered", async () => {
    const files = Object.fromEntries(["run.json", "code.ts", "metrics.csv"].map((n) => [n, bundle[n]]));
    // issue 17's example, 8 entries of 200 MB of zeros, with headers that declare 1 byte each: the server must count.
    const bomb = zerosZip(files, 8, 200, { declare: 1 }) as Uint8Array<ArrayBuffer>;
    expect(bomb.byteLength).toBeLessThan(2 * MB);
    const refused = api("POST", `/api/runs/import?experimentId=${ids.experiment}`, bomb, { "content-type": "application/zip" });
    const listed = await api("GET", "/api/experiments");
    expect(listed.status).toBe(200);
    const res = await refused;
    await expectApiError(res, 413, "payload_too_large");
  });
});

describe(`fuzz over HTTP (seed ${SEED}, ${BUDGET_MS} ms)`, () => {
  it("answers every hostile request below 500, and /api errors in the API's JSON shape", async () => {
    const urls = routeUrls();
    const failures: string[] = [];
    const deadline = performance.now() + BUDGET_MS;
    let n = 0;
    for (; performance.now() < deadline && failures.length < 10; n++) {
      const rng = new Rng(caseSeed(SEED ^ 0x5e7, n));
      const target = rng.pick([...urls.map((u) => u.url), "/", "/runs", `/experiments/${ids.experiment}`, `/runs/${ids.run}`, `/s/${ids.token}`, "/compare?runs=x", "/shares"]);
      const path = rng.chance(0.2) ? rawPath(rng, target) : target;
      const method = rng.pick(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
      let body: BodyInit | undefined;
      const headers: Record<string, string> = {};
      if (method !== "GET" && method !== "HEAD") {
        switch (rng.int(9)) {
          case 0:
            body = JSON.stringify(mutate({ title: text(rng), experimentId: ids.experiment, code: text(rng), batch: 1, points: [] }, rng));
            break;
          case 1:
            body = trickyJson({ hparams: {}, title: "t", ids: [] }, rng);
            break;
          case 2:
            body = broken(JSON.stringify({ a: value(rng) }), rng);
            break;
          case 3:
            body = deepJson(rng.pick([100, 100_000]), rng);
            break;
          case 4:
            body = form(rng, { file: media(rng), name: text(rng, true), step: "1", modelJson: "{}", weights: new Uint8Array(8) });
            break;
          case 5: {
            const bad = badMultipart(rng);
            body = bad.body;
            headers["content-type"] = bad.type;
            break;
          }
          case 6:
            body = badZip(bundle, rng) as Uint8Array<ArrayBuffer>;
            headers["content-type"] = "application/zip";
            break;
          case 7:
            body = strToU8(text(rng)) as Uint8Array<ArrayBuffer>;
            break;
          default:
            body = rng.bytes(rng.int(4096));
        }
        if (!headers["content-type"] && !(body instanceof FormData)) headers["content-type"] = rng.pick(["application/json", "application/zip", "text/plain", "multipart/form-data", "application/vnd.zoetrope.series"]);
      }
      let res: Response;
      try {
        res = await api(method, path, body, headers);
      } catch (err) {
        failures.push(`case ${n}: ${method} ${path}: ${err}`);
        continue;
      }
      const isApi = /^\/api(\/|$|\?)|^\/s\/[^/]+\/api(\/|$)/.test(path);
      const answer = method === "HEAD" ? "" : await res.text();
      let shaped = true;
      if (isApi && res.status >= 400 && method !== "HEAD") {
        try {
          const parsed = JSON.parse(answer);
          shaped = typeof parsed.error?.code === "string" && typeof parsed.error?.message === "string";
        } catch {
          shaped = false;
        }
      }
      if (res.status >= 500 || !shaped) failures.push(`case ${n} (seed ${SEED}): ${method} ${path} → ${res.status} ${answer.slice(0, 200)}`);
    }
    console.log(`fuzz over HTTP: seed ${SEED}, ${n} requests`);
    expect(failures.join("\n")).toBe("");
    expect(n).toBeGreaterThan(50);
  });
});
