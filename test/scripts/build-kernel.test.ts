// The kernel build that runs before every app build: one classic-worker script with its source map, the wasm
// binaries beside it, the video-metric weights the app serves, and nothing rewritten when nothing changed (else every `npm start` would rebuild the app).
import { parse } from "acorn";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildKernel } from "../../scripts/build-kernel";

const out = fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-kernel-build-"));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

describe("build-kernel", () => {
  it("writes the worker as one script with a source map, and the wasm binaries", async () => {
    const r = await buildKernel(out);
    const worker = fs.readFileSync(path.join(out, "kernel", "worker.js"), "utf8");
    // A classic worker runs a script, not a module: it must parse as one (no import or export left).
    expect(() => parse(worker, { ecmaVersion: "latest", sourceType: "script" })).not.toThrow();
    expect(worker.trimEnd().endsWith("//# sourceMappingURL=worker.js.map")).toBe(true);
    const map = JSON.parse(fs.readFileSync(path.join(out, "kernel", "worker.js.map"), "utf8")) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith("lib/runner/worker.ts"))).toBe(true);
    expect(fs.readdirSync(path.join(out, "wasm")).sort()).toEqual([
      "tfjs-backend-wasm-simd.wasm",
      "tfjs-backend-wasm-threaded-simd.wasm",
      "tfjs-backend-wasm.wasm",
    ]);
    const magic = fs.readFileSync(path.join(out, "wasm", "tfjs-backend-wasm.wasm")).subarray(0, 4);
    expect([...magic]).toEqual([0x00, 0x61, 0x73, 0x6d]);
    expect(r.workerBytes).toBe(Buffer.byteLength(worker));
    const served = path.join(out, "assets", "generated", "video-metrics");
    expect(fs.readdirSync(served).sort()).toEqual(["model.json", "weights.bin"]);
    expect(fs.readFileSync(path.join(served, "weights.bin")).equals(fs.readFileSync("lib/gan/metrics/weights/weights.bin"))).toBe(true);
  });

  it("rewrites nothing when nothing changed", async () => {
    const file = path.join(out, "kernel", "worker.js");
    const before = fs.statSync(file).mtimeMs;
    const r = await buildKernel(out);
    expect(r.written).toEqual([]);
    expect(r.unchanged).toHaveLength(7);
    expect(fs.statSync(file).mtimeMs).toBe(before);
  });
});
