import "../helpers/temp-db";
import { describe, expect, it } from "vitest";
import * as runs from "@/app/api/runs/route";
import * as run from "@/app/api/runs/[id]/route";
import * as metrics from "@/app/api/runs/[id]/metrics/route";
import { bodyOf, call, noParams } from "./http";
import { newExperiment } from "./setup";


async function create(experimentId: string, name: string, hparams: Record<string, unknown>, loss?: number) {
  const res = await call(runs.POST, "POST", "/api/runs", noParams, { body: { experimentId, name, code: "", hparams } });
  const { id } = await bodyOf(res);
  if (loss !== undefined) {
    await call(metrics.POST, "POST", "/x", { id }, { body: { batch: 0, points: [{ key: "loss/d", step: 1, value: loss }] } });
  }
  return id as string;
}

const search = async (params: Record<string, string>) => {
  const res = await call(runs.GET, "GET", `/api/runs?${new URLSearchParams(params)}`, noParams);
  return { status: res.status, body: await bodyOf(res) };
};
const names = (body: { runs: { name: string }[] }) => body.runs.map((r) => r.name).sort();

describe("GET /api/runs?q=", () => {
  it("filters one experiment's runs by params, metrics and status", async () => {
    const e = await newExperiment();
    const a = await create(e, "a", { model: "mocogan", lr: 2e-4 }, 0.5);
    await create(e, "b", { model: "mocogan", lr: 1e-4 }, 0.9);
    await create(e, "c", { model: "tgan" }, 0.1);
    await call(run.PATCH, "PATCH", "/x", { id: a }, { body: { status: "finished" } });

    const q = 'params.model = "mocogan" and metrics."loss/d" < 0.7 and status = "finished"';
    expect(names((await search({ experimentId: e, q })).body)).toEqual(["a"]);
    expect(names((await search({ experimentId: e, q: 'params.model = "mocogan" or metrics.loss/d < 0.2' })).body)).toEqual([
      "a",
      "b",
      "c",
    ]);
    expect(names((await search({ experimentId: e, q: "params.lr = null" })).body)).toEqual(["c"]);
    expect(names((await search({ experimentId: e, q: "" })).body)).toEqual(["a", "b", "c"]);
  });

  it("searches every experiment when experimentId is absent", async () => {
    const e1 = await newExperiment("one");
    const e2 = await newExperiment("two");
    await create(e1, "x-one", { tag: "cross-search" });
    await create(e2, "x-two", { tag: "cross-search" });
    const { status, body } = await search({ q: 'params.tag = "cross-search"' });
    expect(status).toBe(200);
    expect(names(body)).toEqual(["x-one", "x-two"]);
    expect(new Set(body.runs.map((r: { experimentId: string }) => r.experimentId))).toEqual(new Set([e1, e2]));
    const all = await search({});
    expect(all.body.runs.length).toBeGreaterThanOrEqual(2);
  });

  it("answers 400 with the position of a bad query, before looking up the experiment", async () => {
    const { status, body } = await search({ experimentId: "nope", q: 'params.model = "x" and seed < ' });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: "invalid_query", position: 30, length: 0 });
    expect(body.error.message).toContain("expected a value");
    const unknown = await search({ q: "loss < 1" });
    expect(unknown.body.error).toMatchObject({ code: "invalid_query", position: 0, length: 4 });
  });

  it("answers 404 for an unknown experiment with a good query", async () => {
    expect((await search({ experimentId: "nope", q: "seed = 1" })).status).toBe(404);
  });
});
