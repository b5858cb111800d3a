import * as tf from "@tensorflow/tfjs-core";
import { initBackend, type BackendName } from "../../../lib/gan/backend";
import type { CheckCase } from "../../../lib/gan/ops/check/case";
import { judge, type Verdict } from "../../../lib/gan/ops/check/compare";
import { runCase } from "../../../lib/gan/ops/check/run_case";

export async function startBackend(backend: BackendName): Promise<void> {
  const info = await initBackend(backend);
  if (info.backend !== backend) throw new Error(`could not start ${backend}: ${info.fallbackReason}`);
}

/** Runs a check case on cpu (reference) and on `backend`, and judges the latter. */
export async function verdictOn(backend: BackendName, c: CheckCase): Promise<Verdict> {
  await startBackend("cpu");
  const ref = await runCase(c);
  if (backend === "cpu") return judge(ref, undefined);
  await startBackend(backend);
  return judge(await runCase(c), ref);
}

export const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());
