// The read-only data behind a shared page (/s/<token>/api/…): a link reaches what it names and nothing else.
import { tempDb } from "../helpers/temp-db";
import { describe, expect, it } from "vitest";
import * as experiments from "@/app/api/experiments/route";
import * as runs from "@/app/api/runs/route";
import * as runMetrics from "@/app/api/runs/[id]/metrics/route";
import * as runSamples from "@/app/api/runs/[id]/samples/route";
import * as shares from "@/app/api/share/route";
import * as share from "@/app/api/share/[id]/route";
import * as sharedMetrics from "@/app/s/[token]/api/runs/[id]/metrics/route";
import * as sharedSamples from "@/app/s/[token]/api/samples/[id]/route";
import { SERIES_MIME, decodeSeries } from "@/lib/tracker/series-wire";
import { gif } from "../api/fixtures";
import { bodyOf, call, noParams } from "../api/http";

async function post(handler: typeof runs.POST, path: string, body: unknown): Promise<string> {
  const res = await call(handler, "POST", path, noParams, { body });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await bodyOf(res)).id;
}

async function newRunIn(experimentId: string, name: string) {
  const id = await post(runs.POST, "/api/runs", { experimentId, name, code: "" });
  await call(runMetrics.POST, "POST", `/api/runs/${id}/metrics`, { id }, { body: { batch: 0, series: { loss: { steps: [0, 1, 2], values: [3, 2, 1] } } } });
  const form = new FormData();
  form.set("file", new Blob([gif(8, 8, 2)]), "s.gif");
  form.set("name", "fake");
  form.set("step", "2");
  const sample = await bodyOf(await call(runSamples.POST, "POST", `/api/runs/${id}/samples`, { id }, { body: form }));
  return { id, sampleId: sample.id as string };
}

async function arrange() {
  const exp = await post(experiments.POST, "/api/experiments", { title: "shared" });
  const a = await newRunIn(exp, "a");
  const b = await newRunIn(exp, "b");
  const other = await newRunIn(await post(experiments.POST, "/api/experiments", { title: "private" }), "c");
  return { exp, a, b, other };
}

async function link(type: string, ids: string[], expiresAt?: string) {
  const body = await bodyOf(await call(shares.POST, "POST", "/api/share", noParams, { body: { type, ids, expiresAt } }));
  return { id: body.id as string, token: (body.url as string).slice(3) };
}

const metricsVia = (token: string, id: string, qs = "?keys=loss") =>
  call(sharedMetrics.GET, "GET", `/s/${token}/api/runs/${id}/metrics${qs}`, { token, id });
const sampleVia = (token: string, id: string, method: "GET" | "HEAD" = "GET", headers?: Record<string, string>) =>
  call(method === "GET" ? sharedSamples.GET : sharedSamples.HEAD, method, `/s/${token}/api/samples/${id}`, { token, id }, { headers });

describe("a run link", () => {
  it("reaches its run's metrics (JSON and binary) and samples (with Range)", async () => {
    const { a } = await arrange();
    const { token } = await link("run", [a.id]);
    const res = await metricsVia(token, a.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect((await bodyOf(res)).series.loss).toMatchObject({ steps: [0, 1, 2], values: [3, 2, 1] });

    const bin = await call(sharedMetrics.GET, "GET", `/s/${token}/api/runs/${a.id}/metrics?keys=loss&format=binary&from=1&to=2`, { token, id: a.id });
    expect(bin.headers.get("content-type")).toBe(SERIES_MIME);
    expect(Array.from(decodeSeries(await bin.arrayBuffer()).get("loss")!.steps)).toEqual([1, 2]);

    const file = await sampleVia(token, a.sampleId);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("image/gif");
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(gif(8, 8, 2));
    const part = await sampleVia(token, a.sampleId, "GET", { range: "bytes=0-5" });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).toString()).toBe("GIF89a");
    expect((await sampleVia(token, a.sampleId, "HEAD")).status).toBe(200);
  });

  it("refuses another run's metrics and samples, in the same experiment or not, with the same 404", async () => {
    const { a, b, other } = await arrange();
    const { token } = await link("run", [a.id]);
    for (const target of [b, other]) {
      const res = await metricsVia(token, target.id);
      expect(res.status).toBe(404);
      expect(await bodyOf(res)).toEqual({ error: { code: "not_found", message: "not found" } });
      expect((await sampleVia(token, target.sampleId)).status).toBe(404);
    }
    // An id that does not exist at all looks the same as one outside the grant.
    expect((await metricsVia(token, "nope")).status).toBe(404);
    expect((await sampleVia(token, "nope")).status).toBe(404);
  });

  it("has no write methods: POST, PUT, PATCH and DELETE answer 405 in the API's shape and write nothing", async () => {
    const { a } = await arrange();
    const { token } = await link("run", [a.id]);
    const routes = [
      [sharedMetrics, `/s/${token}/api/runs/${a.id}/metrics`, { token, id: a.id }],
      [sharedSamples, `/s/${token}/api/samples/${a.sampleId}`, { token, id: a.sampleId }],
    ] as const;
    for (const [mod, url, params] of routes) {
      for (const method of ["POST", "PUT", "PATCH", "DELETE"] as const) {
        const res = await call(mod[method], method, url, params, { body: { batch: 9, series: { loss: { steps: [9], values: [0] } } } });
        expect(res.status, `${method} ${url}`).toBe(405);
        expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
        expect((await bodyOf(res)).error.code).toBe("method_not_allowed");
      }
    }
    const after = await bodyOf(await metricsVia(token, a.id));
    expect(after.series.loss.steps).toEqual([0, 1, 2]);
  });
});

describe("an experiment link", () => {
  it("reaches every run of its experiment and none of another", async () => {
    const { exp, a, b, other } = await arrange();
    const { token } = await link("experiment", [exp]);
    expect((await metricsVia(token, a.id)).status).toBe(200);
    expect((await sampleVia(token, b.sampleId)).status).toBe(200);
    expect((await metricsVia(token, other.id)).status).toBe(404);
    expect((await sampleVia(token, other.sampleId)).status).toBe(404);
  });
});

describe("a compare link", () => {
  it("reaches the runs it names only", async () => {
    const { a, b, other } = await arrange();
    const { token } = await link("compare", [a.id, other.id]);
    expect((await metricsVia(token, a.id)).status).toBe(200);
    expect((await metricsVia(token, other.id)).status).toBe(200);
    expect((await metricsVia(token, b.id)).status).toBe(404);
  });
});

describe("links that do not open", () => {
  it("answers 404 for a revoked link", async () => {
    const { a } = await arrange();
    const { id, token } = await link("run", [a.id]);
    expect((await metricsVia(token, a.id)).status).toBe(200);
    expect((await call(share.DELETE, "DELETE", `/api/share/${id}`, { id })).status).toBe(204);
    expect((await metricsVia(token, a.id)).status).toBe(404);
    expect((await sampleVia(token, a.sampleId)).status).toBe(404);
  });

  it("answers 404 for an expired link", async () => {
    const { a } = await arrange();
    const { id, token } = await link("run", [a.id], new Date(Date.now() + 60_000).toISOString());
    expect((await metricsVia(token, a.id)).status).toBe(200);
    tempDb.sql().prepare("UPDATE ShareLink SET expiresAt = ? WHERE id = ?").run(Date.now() - 1000, id);
    expect((await metricsVia(token, a.id)).status).toBe(404);
  });

  it("answers 404 for an unknown or malformed token", async () => {
    const { a } = await arrange();
    for (const token of ["A".repeat(43), "short", "../../api"]) {
      expect((await metricsVia(token, a.id)).status).toBe(404);
      expect((await sampleVia(token, a.sampleId)).status).toBe(404);
    }
  });
});
