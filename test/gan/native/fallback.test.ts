// The native backend where oneDNN is missing. (Its training-loop checks, tensor leaks and resumed runs, are those
// of every training backend: test/gan/train-leaks.test.ts and checkpoint.test.ts.)
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

describe("without oneDNN", () => {
  it("initBackend falls back to wasm and says once, in one line, how to install it", async () => {
    const script = `import { initBackend } from "./lib/gan/backend"; const a = await initBackend(); const b = await initBackend(); console.log(JSON.stringify([a.backend, b.backend]));`;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: { ...process.env, ZOETROPE_DNNL_LIB: "/nonexistent/libdnnl.so.2" },
    });
    expect(JSON.parse(stdout.trim().split("\n").at(-1)!)).toEqual(["wasm", "wasm"]);
    const lines = stderr.split("\n").filter((l) => l.startsWith("zoetrope:"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("apt-get install libdnnl2");
  }, 60_000);
});
