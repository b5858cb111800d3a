import { describe, expect, it } from "vitest";
import { toRunRows } from "@/components/runs/toRunRows";
import { compileQuery } from "@/lib/query";
import type { RunView } from "@/lib/tracker/runs";

const run = (id: string, experimentId: string, hparams: Record<string, unknown>, loss: number | null): RunView => ({
  id,
  experimentId,
  name: id,
  status: "finished",
  error: "stack trace",
  hparams,
  seed: null,
  backend: "webgl",
  device: { vendor: "x" },
  startedAt: "2026-11-25T10:00:00.000Z",
  endedAt: null,
  heartbeatAt: "2026-11-25T10:00:00.000Z",
  durationMs: 5000,
  lastMetrics: { "loss/d": { step: 10, value: loss } },
  sweep: null,
});

describe("runs table rows", () => {
  const runs = [run("a", "e1", { model: "tgan", g: { lr: 2e-4 } }, 0.5), run("b", "e2", { model: "mocogan", g: { lr: 1e-3 } }, 0.9)];

  it("carry what the filter box's query reads, and the table filters with the API's rules", () => {
    const { rows } = toRunRows(runs);
    const keep = compileQuery('params.g.lr < 5e-4 and metrics.loss/d < 0.7 and backend = "webgl" and duration = 5');
    expect(rows.filter((r) => keep(r.query!)).map((r) => r.id)).toEqual(["a"]);
    expect(rows[0].query).not.toHaveProperty("error");
    expect(rows[0].query).not.toHaveProperty("device");
  });

  it("label each row with its experiment when given the experiments", () => {
    const experiments = new Map([
      ["e1", { id: "e1", slug: "one", title: "One" }],
      ["e2", { id: "e2", slug: "two", title: "Two" }],
    ]);
    expect(toRunRows(runs, experiments).rows.map((r) => r.experiment?.title)).toEqual(["One", "Two"]);
    expect(toRunRows(runs).rows[0]).not.toHaveProperty("experiment");
  });
});
