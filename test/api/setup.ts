// Shared arrangement for route tests: an experiment with one run, made through the API itself.
import * as experiments from "@/app/api/experiments/route";
import * as runs from "@/app/api/runs/route";
import { bodyOf, call, noParams } from "./http";

export async function newExperiment(title = "Test experiment"): Promise<string> {
  const res = await call(experiments.POST, "POST", "/api/experiments", noParams, { body: { title } });
  return (await bodyOf(res)).id;
}

export async function newRun(extra: Record<string, unknown> = {}): Promise<string> {
  const experimentId = await newExperiment();
  const res = await call(runs.POST, "POST", "/api/runs", noParams, {
    body: { experimentId, code: "// %%\nlog('loss', 1)", hparams: { lr: 2e-4 }, ...extra },
  });
  if (res.status !== 201) throw new Error(`run create failed: ${res.status} ${await res.text()}`);
  return (await bodyOf(res)).id;
}
