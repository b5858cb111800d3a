// The kernel build that runs before every app build: one classic-worker script with its source map, the wasm
// binaries beside it, the video-metric weights and trained checkpoints the app serves, and nothing rewritten when
// nothing changed (else every `npm start` would rebuild the app).
import { parse } from "acorn";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildKernel } from "../../scripts/build-kernel";

const out = fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-kernel-build-"));
// Trained checkpoints to serve: a complete folder, an incomplete one (skipped) and a stray file (ignored).
const pretrainedDir = fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-pretrained-src-"));
fs.mkdirSync(path.join(pretrainedDir, "mocogan"));
for (const f of ["model.json", "weights.bin", "metrics.json"]) fs.writeFileSync(path.join(pretrainedDir, "mocogan", f), `${f} of mocogan`);
fs.mkdirSync(path.join(pretrainedDir, "tgan"));
fs.writeFileSync(path.join(pretrainedDir, "tgan", "model.json"), "{}");
fs.writeFileSync(path.join(pretrainedDir, "README.md"), "notes");
afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(pretrainedDir, { recursive: true, force: true });
});

describe("build-kernel", () => {
  it("writes the worker as one script with a source map, and the wasm binaries", async () => {
    const r = await buildKernel(out, { pretrainedDir });
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
    expect(r.pretrained).toEqual(["mocogan"]);
    const pretrained = path.join(out, "assets", "generated", "pretrained");
    expect(fs.readdirSync(pretrained)).toEqual(["mocogan"]);
    expect(fs.readdirSync(path.join(pretrained, "mocogan")).sort()).toEqual(["metrics.json", "model.json", "weights.bin"]);
    expect(fs.readFileSync(path.join(pretrained, "mocogan", "weights.bin"), "utf8")).toBe("weights.bin of mocogan");
  });

  it("copies no trained checkpoints when there are none", async () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-kernel-bare-"));
    try {
      const r = await buildKernel(bare, { pretrainedDir: path.join(pretrainedDir, "absent") });
      expect(r.pretrained).toEqual([]);
      expect(fs.existsSync(path.join(bare, "assets", "generated", "pretrained"))).toBe(false);
    } finally {
      fs.rmSync(bare, { recursive: true, force: true });
    }
  });

  it("rewrites nothing when nothing changed", async () => {
    const file = path.join(out, "kernel", "worker.js");
    const before = fs.statSync(file).mtimeMs;
    const r = await buildKernel(out, { pretrainedDir });
    expect(r.written).toEqual([]);
    expect(r.unchanged).toHaveLength(10);
    expect(fs.statSync(file).mtimeMs).toBe(before);
  });
});
