import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { initBackend } from "../../../lib/gan/backend";
import { addChannelBias } from "../../../lib/gan/ops";

describe("initBackend (Node)", () => {
  it("starts a named backend", async () => {
    const info = await initBackend("cpu");
    expect(info.backend).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
  });

  it("by default picks a hardware WebGPU adapter, else native (oneDNN), else wasm, saying why", async () => {
    const info = await initBackend();
    expect(["webgpu", "native", "wasm"]).toContain(info.backend);
    if (info.backend !== "webgpu") expect(info.fallbackReason).toMatch(/webgpu/);
    if (info.backend === "wasm") expect(info.fallbackReason).toMatch(/native.*apt-get install libdnnl2/);
  });

  it("addChannelBias adds a per-channel vector on the last axis", async () => {
    await initBackend("cpu");
    const y = addChannelBias(tf.zeros([1, 1, 1, 2, 3]), tf.tensor1d([1, 2, 3]));
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 1, 2, 3]);
    expect(() => addChannelBias(tf.zeros([2, 4]), tf.tensor1d([1, 2]))).toThrow(/channels/);
  });
});
