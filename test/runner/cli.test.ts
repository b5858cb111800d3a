// `zoetrope run` and `zoetrope sweep` end to end, as child processes recording into a SQLite file in a temp folder.
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = path.resolve("bin", "zoetrope.js");
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-cli-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function zoetrope(args: string[]): Promise<Result> {
  const env = { ...process.env };
  delete env.DATA_DIR; // samples go beside the --db file
  delete env.DATABASE_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: path.resolve("."), env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function write(name: string, lines: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

function query<T>(dbFile: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

interface RunRow {
  id: string;
  name: string;
  status: string;
  error: string | null;
  hparams: string;
  backend: string | null;
  endedAt: string | null;
}

describe("zoetrope run", () => {
  it("runs every cell, records the run, its metrics and sample, and writes the summary", async () => {
    const file = write("good.ts", [
      "// %% Config",
      "const cfg = config({ lr: 0.1, steps: 6, model: { width: 8 } });",
      "console.log(`lr=${cfg.lr} width=${cfg.model.width}`);",
      "",
      "// %% Train",
      'const bar = progress(cfg.steps, "train");',
      "for (let i = 0; i < cfg.steps; i++) {",
      "  log({ loss: 1 / (i + 1), lr: cfg.lr }, i);",
      "  bar.tick();",
      "}",
      "",
      "// %% Sample",
      "const video = tf.zeros([4, 8, 8, 1]);",
      'await sample("s", video, cfg.steps);',
      "await show(video);",
      "video.dispose();",
    ]);
    const db = path.join(dir, "z.db");
    const summaryFile = path.join(dir, "summary.json");
    const out = path.join(dir, "out");
    const r = await zoetrope([
      "run", file, "--db", db, "--backend", "cpu",
      "--set", "lr=.5", // not JSON: a string, coerced to the default's type
      "--set", "model.width=16",
      "--set", "typo=1",
      "--name", "first-try",
      "--out", out,
      "--summary", summaryFile,
    ]);
    expect(r.stderr).not.toMatch(/zoetrope:/);
    expect(r.code).toBe(0);

    // The terminal: each cell, what it printed, the bar, the sample, the unused override and the result.
    expect(r.stdout).toContain("backend: cpu");
    expect(r.stdout).toContain("▶ cell 1/3 «Config»");
    expect(r.stdout).toContain("▶ cell 2/3 «Train»");
    expect(r.stdout).toContain("▶ cell 3/3 «Sample»");
    expect(r.stdout).toContain("lr=0.5 width=16");
    expect(r.stdout).toMatch(/train \[#{24}\] 6\/6/);
    expect(r.stdout).toContain(`sample "s" at step 6 → ${path.join(out, "s-6.gif")}`);
    expect(r.stdout).toContain("! no config() key named typo: that override was not used");
    expect(r.stdout).toMatch(/✓ run first-try finished in /);
    expect(r.stdout).toContain("last: loss 0.1667, lr 0.5");
    expect(r.stdout.indexOf("«Config»")).toBeLessThan(r.stdout.indexOf("«Train»"));
    expect(r.stdout.indexOf("«Train»")).toBeLessThan(r.stdout.indexOf("«Sample»"));
    expect(fs.readFileSync(path.join(out, "s-6.gif")).subarray(0, 6).toString()).toBe("GIF89a");

    const summary = JSON.parse(fs.readFileSync(summaryFile, "utf8"));
    expect(summary).toMatchObject({
      file,
      status: "finished",
      name: "first-try",
      hparams: { lr: 0.5, steps: 6, model: { width: 16 } },
      metrics: { loss: 1 / 6, lr: 0.5 },
    });
    expect(summary.failure).toBeUndefined();
    expect(summary.seconds).toBeGreaterThan(0);

    // The database.
    const runs = query<RunRow>(db, "SELECT * FROM Run");
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run).toMatchObject({ id: summary.runId, name: "first-try", status: "finished", error: null, backend: "cpu" });
    expect(run.endedAt).not.toBeNull();
    expect(JSON.parse(run.hparams)).toEqual({ lr: 0.5, steps: 6, model: { width: 16 } });
    const chunks = query<{ key: string; count: number; minStep: number; maxStep: number }>(
      db, "SELECT key, count, minStep, maxStep FROM MetricChunk WHERE runId = ? ORDER BY key", run.id,
    );
    expect(chunks.map((c) => [c.key, c.count, c.minStep, c.maxStep])).toEqual([
      ["loss", 6, 0, 5],
      ["lr", 6, 0, 5],
    ]);
    const samples = query<{ name: string; step: number; mime: string; frames: number; width: number; height: number; path: string; bytes: number }>(
      db, "SELECT * FROM Sample WHERE runId = ?", run.id,
    );
    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({ name: "s", step: 6, mime: "image/gif", frames: 4, width: 8, height: 8 });
    const sampleFile = path.join(dir, samples[0].path); // the data folder is the --db file's
    expect(sampleFile.startsWith(path.join(dir, "samples", run.id))).toBe(true);
    const bytes = fs.readFileSync(sampleFile);
    expect(bytes.byteLength).toBe(samples[0].bytes);
    expect(bytes.subarray(0, 6).toString()).toBe("GIF89a");
    const experiments = query<{ title: string; notebook: string }>(db, "SELECT title, notebook FROM Experiment");
    expect(experiments).toEqual([{ title: "good", notebook: fs.readFileSync(file, "utf8") }]);
  }, 30_000);

  it("stops at a failing cell, points at the file's own line and records the run as failed", async () => {
    const file = write("bad.ts", [
      "// %% Setup", // 1
      "const base = config({ k: 1 });", // 2
      "log({ x: 1 }, 0);", // 3
      "", // 4
      "// %% Broken", // 5
      "let total = 0;", // 6
      "for (let i = 0; i < 3; i++) total += i;", // 7
      "log({ total }, 1);", // 8
      'throw new Error("kaput at nine");', // 9
      "", // 10
      "// %% Never", // 11
      'console.log("should not run");', // 12
    ]);
    const db = path.join(dir, "bad.db");
    const summaryFile = path.join(dir, "bad-summary.json");
    const r = await zoetrope(["run", file, "--db", db, "--backend", "cpu", "--summary", summaryFile]);
    expect(r.code).toBe(1);
    const output = r.stdout + r.stderr;
    expect(output).toContain(`${file}:9:`);
    expect(output).toContain(`✗ cell 2/3 «Broken» failed at ${file}:9:7`);
    expect(output).toContain("Error: kaput at nine");
    expect(output).toContain('  9 | throw new Error("kaput at nine");');
    expect(output).not.toContain("should not run");
    expect(output).not.toContain("▶ cell 3/3");
    expect(output).toMatch(/✗ run run-1 failed in /);

    const summary = JSON.parse(fs.readFileSync(summaryFile, "utf8"));
    expect(summary).toMatchObject({
      status: "failed",
      failure: { cell: "cell 2/3 «Broken»", line: 9, column: 7, error: { name: "Error", message: "kaput at nine", line: 4 } },
      metrics: { x: 1, total: 3 },
    });

    const [run] = query<RunRow>(db, "SELECT * FROM Run");
    expect(run.status).toBe("failed");
    expect(run.error).toBe("cell 2/3 «Broken», line 9: Error: kaput at nine");
    const keys = query<{ key: string }>(db, "SELECT key FROM MetricChunk WHERE runId = ? ORDER BY key", run.id).map((c) => c.key);
    expect(keys).toEqual(["total", "x"]); // what the failed cell logged before it threw is kept
  }, 30_000);

  it.each([
    [["--backend", "nope"], "zoetrope: --backend must be one of native, cpu, wasm, webgpu, webgl"],
    [["--set", "novalue"], 'zoetrope: expected key=value, got "novalue"'],
    [["--seed", "1.5"], "zoetrope: --seed must be an integer, got 1.5"],
    [["--bogus"], "zoetrope: Unknown option '--bogus'"],
  ])("refuses bad usage %j with exit 2 and the usage", async (extra, message) => {
    const file = write("usage.ts", ["// %%", "1"]);
    const r = await zoetrope(["run", file, "--db", path.join(dir, "usage.db"), ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain("usage:\n  zoetrope run <notebook.ts> [options]");
    expect(fs.existsSync(path.join(dir, "usage.db"))).toBe(false); // refused before touching the database
  }, 15_000);

  it("refuses a notebook that does not exist with exit 2", async () => {
    const missing = path.join(dir, "missing.ts");
    const r = await zoetrope(["run", missing, "--db", path.join(dir, "usage.db")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`zoetrope: no such notebook: ${missing}`);
  }, 15_000);

  it("refuses an unknown command and a missing notebook argument with exit 2", async () => {
    const unknown = await zoetrope(["walk", "x.ts"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('zoetrope: unknown command "walk"');
    const none = await zoetrope(["run"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("zoetrope: expected one notebook file, got 0");
  }, 15_000);
});

describe("zoetrope sweep", () => {
  it("runs each combination of the grid as its own run and prints a table with a row each", async () => {
    const file = write("sweep.ts", [
      "// %% Config",
      'const c = config({ lr: 0.1, k: "z" });',
      'log({ score: c.lr * (c.k === "a" ? 10 : 20) }, 0);',
    ]);
    const db = path.join(dir, "sweep.db");
    const r = await zoetrope(["sweep", file, "--db", db, "--backend", "cpu", "--grid", "lr=1,2 k=a,b"]);
    expect(r.code).toBe(0);
    for (const [i, label] of ['lr=1 k="a"', 'lr=1 k="b"', 'lr=2 k="a"', 'lr=2 k="b"'].entries()) {
      expect(r.stdout).toContain(`=== ${i + 1}/4: ${label}`);
    }
    const lines = r.stdout.trimEnd().split("\n");
    const header = lines.findIndex((l) => /^lr\s+k\s+run\s+status\s+time\s+score$/.test(l));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toMatch(/^[- ]+$/);
    const rows = lines.slice(header + 2).map((l) => l.split(/\s{2,}/));
    expect(rows.map(([lr, k, run, status, , score]) => [lr, k, run, status, score])).toEqual([
      ["1", "a", "run-1", "finished", "10"],
      ["1", "b", "run-2", "finished", "20"],
      ["2", "a", "run-3", "finished", "20"],
      ["2", "b", "run-4", "finished", "40"],
    ]);

    const runs = query<RunRow>(db, "SELECT * FROM Run ORDER BY name");
    expect(runs.map((run) => [run.name, run.status, JSON.parse(run.hparams)])).toEqual([
      ["run-1", "finished", { lr: 1, k: "a" }],
      ["run-2", "finished", { lr: 1, k: "b" }],
      ["run-3", "finished", { lr: 2, k: "a" }],
      ["run-4", "finished", { lr: 2, k: "b" }],
    ]);
    expect(query(db, "SELECT DISTINCT experimentId FROM Run")).toHaveLength(1);
  }, 45_000);
});
