// Every model, trained by the real loop on webgpu (Dawn in Node): the first step's losses and gradient norms are
// cpu's, later steps stay finite, and the number of live tensors holds still. A webgpu kernel that the device
// rejects drops its whole command buffer, so a broken one shows here as zeros or NaN where cpu has numbers.
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "@/lib/gan";
import { defaultVulkanDriver } from "@/lib/gan/backend_node";
import { train } from "@/lib/gan/train";
import { modelKinds, numTensors, tinyData, tinyModel, type ModelKind } from "./train-helpers";

beforeAll(() => defaultVulkanDriver());

const MONITORS = ["loss_d", "loss_g", "grad_norm_d", "grad_norm_g"] as const;
type Monitors = Record<(typeof MONITORS)[number], number>;

/** Trains `kind` for `steps` on `backend`; each step's monitors, and the tensors alive after steps 2 and last. */
async function trainOn(backend: "cpu" | "webgpu", kind: ModelKind, steps: number) {
  const info = await initBackend(backend);
  if (info.backend !== backend) throw new Error(`${backend} did not start: ${info.fallbackReason}`);
  const model = tinyModel(kind);
  const data = await tinyData();
  const monitors: Monitors[] = [];
  const alive = new Map<number, number>();
  const { state } = await train(model, data, {
    steps,
    batchSize: 2,
    seed: 3,
    onStep: (m) => {
      monitors.push(Object.fromEntries(MONITORS.map((key) => [key, m[key]])) as Monitors);
      alive.set(m.step, numTensors());
    },
  });
  state.dispose();
  model.dispose();
  return { monitors, alive };
}

describe.each(modelKinds)("%s on webgpu", (kind) => {
  it("takes cpu's first step, stays finite, and leaks nothing", async () => {
    const cpu = await trainOn("cpu", kind, 1);
    const gpu = await trainOn("webgpu", kind, 5);
    for (const key of MONITORS) {
      // A WGAN critic's losses can be negative or near zero, so the tolerance has an absolute floor.
      const [got, want] = [gpu.monitors[0][key], cpu.monitors[0][key]];
      expect(Math.abs(got - want), `${key}: ${got} on webgpu, ${want} on cpu`).toBeLessThan(1e-3 * Math.abs(want) + 1e-6);
    }
    for (const key of ["grad_norm_d", "grad_norm_g"] as const) expect(gpu.monitors[0][key]).toBeGreaterThan(0);
    for (const step of gpu.monitors) for (const key of MONITORS) expect(Number.isFinite(step[key]), key).toBe(true);
    expect(gpu.alive.get(5)).toBe(gpu.alive.get(2));
    expect(tf.getBackend()).toBe("webgpu");
  }, 300_000);
});
