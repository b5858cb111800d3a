import { tempDb } from "../helpers/temp-db";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as collection from "@/app/api/experiments/route";
import * as item from "@/app/api/experiments/[id]/route";
import * as runs from "@/app/api/runs/route";
import * as samples from "@/app/api/runs/[id]/samples/route";
import * as checkpoints from "@/app/api/runs/[id]/checkpoints/route";
import * as metrics from "@/app/api/runs/[id]/metrics/route";
import { bodyOf, call, noParams } from "./http";
import { gif } from "./fixtures";

async function create(title: string, notebook?: string) {
  const res = await call(collection.POST, "POST", "/api/experiments", noParams, { body: { title, notebook } });
  return { res, body: await bodyOf(res) };
}

describe("POST /api/experiments", () => {
  it("creates an experiment and answers 201 with id and slug", async () => {
    const { res, body } = await create("Moving MNIST: TGAN baseline");
    expect(res.status).toBe(201);
    expect(body.slug).toBe("moving-mnist-tgan-baseline");
    expect(typeof body.id).toBe("string");
  });

  it("gives a repeated title a numbered slug", async () => {
    const a = await create("Same title");
    const b = await create("Same title");
    const c = await create("Same  title!");
    expect([a.body.slug, b.body.slug, c.body.slug]).toEqual(["same-title", "same-title-2", "same-title-3"]);
  });

  it("answers 400 for malformed JSON", async () => {
    const res = await call(collection.POST, "POST", "/api/experiments", noParams, { body: "{title:" });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).error.code).toBe("malformed_json");
  });

  it("answers 422 with issues for a missing or wrong-typed title", async () => {
    for (const body of [{}, { title: 42 }, { title: "   " }, { title: "ok", notebook: 5 }]) {
      const res = await call(collection.POST, "POST", "/api/experiments", noParams, { body });
      expect(res.status).toBe(422);
      const err = (await bodyOf(res)).error;
      expect(err.code).toBe("invalid_input");
      expect(err.issues.length).toBeGreaterThan(0);
    }
  });

  it("answers 413 when Content-Length is over the limit, before reading", async () => {
    const res = await call(collection.POST, "POST", "/api/experiments", noParams, {
      body: "{}",
      headers: { "content-length": String(50 * 1024 * 1024) },
    });
    expect(res.status).toBe(413);
  });
});

describe("GET /api/experiments and /api/experiments/:id", () => {
  it("lists experiments with their run counts", async () => {
    const { body } = await create("Counted");
    await call(runs.POST, "POST", "/api/runs", noParams, { body: { experimentId: body.id, code: "x", hparams: {} } });
    const list = await bodyOf(await call(collection.GET, "GET", "/api/experiments", noParams));
    const row = list.experiments.find((e: { id: string }) => e.id === body.id);
    expect(row.runCount).toBe(1);
    expect(row.notebook).toBeUndefined();
  });

  it("gets one by id or slug, with its notebook", async () => {
    const { body } = await create("Lookup", "# %% cell\nconsole.log(1)");
    for (const key of [body.id, body.slug]) {
      const res = await call(item.GET, "GET", `/api/experiments/${key}`, { id: key });
      expect(res.status).toBe(200);
      const got = await bodyOf(res);
      expect(got.id).toBe(body.id);
      expect(got.notebook).toBe("# %% cell\nconsole.log(1)");
    }
  });

  it("answers 404 for an unknown id", async () => {
    const res = await call(item.GET, "GET", "/api/experiments/nope", { id: "nope" });
    expect(res.status).toBe(404);
    expect((await bodyOf(res)).error.code).toBe("not_found");
  });
});

describe("PATCH /api/experiments/:id", () => {
  it("renames and saves the notebook, keeping the slug", async () => {
    const { body } = await create("Before");
    const res = await call(item.PATCH, "PATCH", `/api/experiments/${body.id}`, { id: body.id }, {
      body: { title: "After", notebook: "new" },
    });
    expect(res.status).toBe(200);
    const got = await bodyOf(res);
    expect([got.title, got.notebook, got.slug]).toEqual(["After", "new", "before"]);
  });

  it("answers 422 for an empty patch and 404 for an unknown id", async () => {
    const { body } = await create("Patch errors");
    expect((await call(item.PATCH, "PATCH", "/x", { id: body.id }, { body: {} })).status).toBe(422);
    expect((await call(item.PATCH, "PATCH", "/x", { id: "nope" }, { body: { title: "t" } })).status).toBe(404);
    expect((await call(item.PATCH, "PATCH", "/x", { id: body.id }, { body: "[" })).status).toBe(400);
  });
});

describe("DELETE /api/experiments/:id", () => {
  it("removes the experiment, its runs, their metrics and their stored files", async () => {
    const { body } = await create("Doomed");
    const run = await bodyOf(
      await call(runs.POST, "POST", "/api/runs", noParams, { body: { experimentId: body.id, code: "x", hparams: {} } }),
    );
    const form = new FormData();
    form.set("file", new Blob([gif(4, 4, 2)]), "s.gif");
    form.set("name", "fake");
    form.set("step", "10");
    expect((await call(samples.POST, "POST", "/x", { id: run.id }, { body: form })).status).toBe(201);
    const ck = new FormData();
    ck.set("modelJson", JSON.stringify({ weightSpecs: [{ name: "w", shape: [2], dtype: "float32" }] }));
    ck.set("weights", new Blob([new Uint8Array(8)]));
    ck.set("step", "10");
    expect((await call(checkpoints.POST, "POST", "/x", { id: run.id }, { body: ck })).status).toBe(201);
    const points = [{ key: "loss", step: 1, value: 0.5 }];
    expect((await call(metrics.POST, "POST", "/x", { id: run.id }, { body: { batch: 0, points } })).status).toBe(200);

    const sampleDir = path.join(tempDb.dataDir, "samples", run.id);
    const checkpointDir = path.join(tempDb.dataDir, "checkpoints", run.id);
    expect(fs.readdirSync(sampleDir)).toHaveLength(1);
    expect(fs.readdirSync(checkpointDir)).toHaveLength(1);

    const res = await call(item.DELETE, "DELETE", `/api/experiments/${body.id}`, { id: body.id });
    expect(res.status).toBe(204);
    expect(fs.existsSync(sampleDir)).toBe(false);
    expect(fs.existsSync(checkpointDir)).toBe(false);
    const count = async (table: string) =>
      (await tempDb.query<{ n: number }>(`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM "${table}" WHERE "runId" = ?`, run.id))[0].n;
    expect([await count("Sample"), await count("Checkpoint"), await count("MetricChunk"), await count("MetricBatch")]).toEqual([0, 0, 0, 0]);
    expect((await call(item.GET, "GET", "/x", { id: body.id })).status).toBe(404);
  });

  it("answers 404 for an unknown id", async () => {
    expect((await call(item.DELETE, "DELETE", "/x", { id: "nope" })).status).toBe(404);
  });
});
