import { tempDb } from "../helpers/temp-db";
import { describe, expect, it } from "vitest";
import * as runs from "@/app/api/runs/route";
import * as run from "@/app/api/runs/[id]/route";
import * as heartbeat from "@/app/api/runs/[id]/heartbeat/route";
import * as metrics from "@/app/api/runs/[id]/metrics/route";
import { bodyOf, call, noParams } from "./http";
import { newExperiment, newRun } from "./setup";

const getRun = async (id: string) => bodyOf(await call(run.GET, "GET", `/api/runs/${id}`, { id }));
const patch = (id: string, body: unknown) => call(run.PATCH, "PATCH", `/api/runs/${id}`, { id }, { body });
const beat = (id: string) => call(heartbeat.POST, "POST", `/api/runs/${id}/heartbeat`, { id });

/** Moves a run's last heartbeat into the past, as if its worker had gone silent. */
async function silence(id: string, ms: number) {
  await tempDb.query('UPDATE "Run" SET "heartbeatAt" = ? WHERE id = ?', new Date(Date.now() - ms), id);
}

describe("POST /api/runs", () => {
  it("creates a running run with its code, hparams, seed, backend and device", async () => {
    const experimentId = await newExperiment();
    const res = await call(runs.POST, "POST", "/api/runs", noParams, {
      body: {
        experimentId,
        code: "train()",
        hparams: { lr: 2e-4, g: { channels: [64, 32] } },
        seed: 42,
        backend: "webgpu",
        device: { vendor: "nvidia", architecture: "ampere" },
      },
    });
    expect(res.status).toBe(201);
    const { id, name } = await bodyOf(res);
    expect(name).toBe("run-1");
    const got = await getRun(id);
    expect(got).toMatchObject({
      experimentId,
      name: "run-1",
      status: "running",
      code: "train()",
      hparams: { lr: 2e-4, g: { channels: [64, 32] } },
      seed: 42,
      backend: "webgpu",
      device: { vendor: "nvidia", architecture: "ampere" },
      endedAt: null,
      error: null,
    });
  });

  it("answers 422 for wrong types and 404 for an unknown experiment", async () => {
    const experimentId = await newExperiment();
    const bad = [
      { experimentId, hparams: {} },
      { experimentId, code: "x", hparams: [1] },
      { experimentId, code: "x", seed: 1.5 },
      { experimentId, code: "x", seed: 2 ** 40 },
      { experimentId, code: 7 },
      { code: "x" },
    ];
    for (const body of bad) {
      const res = await call(runs.POST, "POST", "/api/runs", noParams, { body });
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    const res = await call(runs.POST, "POST", "/api/runs", noParams, { body: { experimentId: "nope", code: "x" } });
    expect(res.status).toBe(404);
    expect((await call(runs.POST, "POST", "/api/runs", noParams, { body: "nope" })).status).toBe(400);
  });
});

describe("GET /api/runs?experimentId=", () => {
  it("lists runs newest first with status, duration, hparams and the last value of each metric", async () => {
    const experimentId = await newExperiment();
    const create = (name: string) =>
      call(runs.POST, "POST", "/api/runs", noParams, { body: { experimentId, name, code: "", hparams: { name } } });
    const a = (await bodyOf(await create("a"))).id;
    await new Promise((r) => setTimeout(r, 5));
    const b = (await bodyOf(await create("b"))).id;
    await call(metrics.POST, "POST", "/x", { id: a }, {
      body: { batch: 0, series: { loss: { steps: [1, 3, 2], values: [1, 3, 2] }, fvd: { steps: [10], values: [null] } } },
    });
    await call(metrics.POST, "POST", "/x", { id: a }, { body: { batch: 1, series: { loss: { steps: [0], values: [9] } } } });
    await patch(a, { status: "finished" });

    const res = await call(runs.GET, "GET", `/api/runs?experimentId=${experimentId}`, noParams);
    const list = (await bodyOf(res)).runs;
    expect(list.map((r: { id: string }) => r.id)).toEqual([b, a]);
    const ra = list[1];
    expect(ra.status).toBe("finished");
    expect(ra.hparams).toEqual({ name: "a" });
    expect(ra.lastMetrics).toEqual({ loss: { step: 3, value: 3 }, fvd: { step: 10, value: null } });
    expect(ra.durationMs).toBeGreaterThanOrEqual(0);
    expect(ra.code).toBeUndefined();
  });

  it("answers 422 for an empty experimentId and 404 for an unknown one", async () => {
    expect((await call(runs.GET, "GET", "/api/runs?experimentId=", noParams)).status).toBe(422);
    expect((await call(runs.GET, "GET", "/api/runs?experimentId=nope", noParams)).status).toBe(404);
  });
});

describe("PATCH /api/runs/:id", () => {
  it("ends a run once, recording error and endedAt", async () => {
    const id = await newRun();
    const res = await patch(id, { status: "failed", error: "NaN in generator loss" });
    expect(res.status).toBe(200);
    const got = await bodyOf(res);
    expect(got.status).toBe("failed");
    expect(got.error).toBe("NaN in generator loss");
    expect(Date.parse(got.endedAt)).toBeGreaterThanOrEqual(Date.parse(got.startedAt));
    const again = await patch(id, { status: "finished" });
    expect(again.status).toBe(409);
    expect((await bodyOf(again)).error.code).toBe("conflict");
  });

  it("replaces the hyperparameters of a running run, alone or with its end", async () => {
    const id = await newRun();
    const res = await patch(id, { hparams: { lr: 1e-4, model: "tgan" } });
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toMatchObject({ status: "running", hparams: { lr: 1e-4, model: "tgan" } });
    const ended = await bodyOf(await patch(id, { status: "finished", hparams: { lr: 3e-4 } }));
    expect(ended).toMatchObject({ status: "finished", hparams: { lr: 3e-4 } });
    expect((await patch(id, { hparams: { lr: 1 } })).status).toBe(409);
  });

  it("sets the seed of a running run (a notebook's config chose it)", async () => {
    const id = await newRun();
    expect(await bodyOf(await patch(id, { hparams: { seed: 7 }, seed: 7 }))).toMatchObject({ seed: 7, status: "running" });
    expect((await patch(id, { seed: 2 ** 31 })).status).toBe(422);
  });

  it("answers 422 for an empty patch, an error without a status, and hparams that are not an object", async () => {
    const id = await newRun();
    expect((await patch(id, {})).status).toBe(422);
    expect((await patch(id, { error: "x" })).status).toBe(422);
    expect((await patch(id, { hparams: [1, 2] })).status).toBe(422);
    expect((await getRun(id)).hparams).toEqual({ lr: 2e-4 });
  });

  it("answers 422 for an unknown status, 400 for malformed JSON and 404 for an unknown run", async () => {
    const id = await newRun();
    expect((await patch(id, { status: "running" })).status).toBe(422);
    expect((await patch(id, { status: "done" })).status).toBe(422);
    expect((await patch(id, { status: "failed", error: 3 })).status).toBe(422);
    expect((await patch(id, "{")).status).toBe(400);
    expect((await patch("nope", { status: "finished" })).status).toBe(404);
    expect((await getRun(id)).status).toBe("running");
  });
});

describe("heartbeat and the interrupted status", () => {
  it("reads a running run as interrupted after 2 minutes without a heartbeat", async () => {
    const id = await newRun();
    await silence(id, 119_000);
    expect((await getRun(id)).status).toBe("running");
    await tempDb.query('UPDATE "Run" SET "startedAt" = ? WHERE id = ?', new Date(Date.now() - 600_000), id);
    await silence(id, 121_000);
    const silent = await getRun(id);
    expect(silent.status).toBe("interrupted");
    // Duration stops at the last sign of life (~479 s after the start), not at now.
    expect(silent.durationMs).toBe(Date.parse(silent.heartbeatAt) - Date.parse(silent.startedAt));
    expect(silent.durationMs).toBeGreaterThan(470_000);
    expect(silent.durationMs).toBeLessThan(490_000);
  });

  it("brings an interrupted-looking run back with a heartbeat", async () => {
    const id = await newRun();
    await silence(id, 10 * 60_000);
    const res = await beat(id);
    expect(res.status).toBe(200);
    expect((await bodyOf(res)).status).toBe("running");
    expect((await getRun(id)).status).toBe("running");
  });

  it("counts a metric batch as a heartbeat", async () => {
    const id = await newRun();
    await silence(id, 10 * 60_000);
    await call(metrics.POST, "POST", "/x", { id }, { body: { batch: 0, points: [{ key: "a", step: 0, value: 1 }] } });
    expect((await getRun(id)).status).toBe("running");
  });

  it("answers 409 for a heartbeat on an ended run and 404 for an unknown one", async () => {
    const id = await newRun();
    await patch(id, { status: "finished" });
    expect((await beat(id)).status).toBe(409);
    expect((await beat("nope")).status).toBe(404);
  });

  it("lets a silent run be ended by its worker", async () => {
    const id = await newRun();
    await silence(id, 10 * 60_000);
    const res = await patch(id, { status: "finished" });
    expect(res.status).toBe(200);
    expect((await bodyOf(res)).status).toBe("finished");
  });
});

describe("GET /api/runs/:id", () => {
  it("answers 404 for an unknown run", async () => {
    expect((await call(run.GET, "GET", "/api/runs/nope", { id: "nope" })).status).toBe(404);
  });
});

describe("DELETE /api/runs/:id", () => {
  const del = (id: string) => call(run.DELETE, "DELETE", `/api/runs/${id}`, { id });

  it("removes the run and its metrics; a second delete is 404", async () => {
    const id = await newRun();
    await call(metrics.POST, "POST", "/x", { id }, { body: { batch: 0, points: [{ key: "loss", step: 0, value: 1 }] } });
    expect((await del(id)).status).toBe(204);
    expect((await call(run.GET, "GET", `/api/runs/${id}`, { id })).status).toBe(404);
    expect(await tempDb.query('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM "MetricChunk" WHERE "runId" = ?', id)).toEqual([{ n: 0 }]);
    expect((await del(id)).status).toBe(404);
  });
});
