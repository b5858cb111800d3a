import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { allCases } from "../../../lib/gan/ops/check/all_cases";
import { runCase } from "../../../lib/gan/ops/check/run_case";
import { startBackend } from "./helpers";

// Every case exercises our registered gradients and kernels forward, backward and (R1) twice backward;
// none may leave tensors behind.
describe("numTensors is stable around the registered gradients and kernels", () => {
  for (const backend of ["cpu", "wasm"] as const) {
    it(`on ${backend}`, async () => {
      await startBackend(backend);
      await runCase(allCases[0]); // warm-up allocations belong to the backend, not to a case
      const before = tf.memory().numTensors;
      for (const c of allCases) {
        const run = await runCase(c);
        expect(run.error, c.name).toBeUndefined();
        expect(run.leakedTensors, c.name).toBe(0);
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
