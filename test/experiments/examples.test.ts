// Every example notebook in experiments/ runs end to end through the command line (`zoetrope run`, wasm backend) at
// a tiny size, one after another, recorded into a fresh tracker database. The test then reads that database
// directly and checks the run: finished, the overrides among its hyperparameters, loss series at every step,
// samples, and (for the model notebooks) checkpoints. A notebook without an entry in TINY fails here: add one.
import Database from "better-sqlite3";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

interface Tiny {
  /** `--set` overrides that make the notebook run in a few seconds. */
  set: Record<string, number>;
  /** Whether the notebook saves checkpoints (with these overrides). */
  checkpoints: boolean;
}

// Each notebook's knobs at their smallest useful values: 4 frames of 16×16, two steps of batch 2, a sample at every
// step and a checkpoint at step 2; no FVD-MM (its classifiers want 16 frames of 32×32).
const SMALL = { frames: 4, size: 16, steps: 2, batchSize: 2, sampleEvery: 1 };
const MODEL = { ...SMALL, checkpointEvery: 2, evaluateN: 0 };
const TINY: Record<string, Tiny> = {
  "hello.ts": { set: SMALL, checkpoints: true },
  "tgan.ts": { set: MODEL, checkpoints: true },
  "mocogan.ts": { set: MODEL, checkpoints: true },
  "vgan.ts": { set: MODEL, checkpoints: true },
};

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const CLI = path.join(ROOT, "bin", "zoetrope.js");
const notebooks = fs
  .readdirSync(path.join(ROOT, "experiments"))
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
  .sort();

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-examples-"));
const dbFile = path.join(tmp, "z.db");
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface Summary {
  runId?: string;
  status: string;
  hparams: Record<string, unknown>;
  metrics: Record<string, number | null>;
}

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Samples and checkpoints go beside the database, whatever DATA_DIR the test process has.
    const env = { ...process.env, DATA_DIR: path.join(tmp, "data") };
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** A metric's points from its chunks: steps and values are little-endian Float64 columns. */
function series(db: Database.Database, runId: string, key: string): { steps: number[]; values: number[] } {
  const query = db.prepare('SELECT steps, "values" FROM MetricChunk WHERE runId = ? AND key = ? ORDER BY batch');
  const rows = query.all(runId, key) as { steps: Buffer; values: Buffer }[];
  const floats = (b: Buffer) => Array.from({ length: b.byteLength / 8 }, (_, i) => b.readDoubleLE(i * 8));
  return { steps: rows.flatMap((r) => floats(r.steps)), values: rows.flatMap((r) => floats(r.values)) };
}

describe("example notebooks", () => {
  it("each has tiny settings for this test", () => {
    expect(notebooks.length).toBeGreaterThan(0);
    expect(notebooks.filter((f) => !TINY[f])).toEqual([]);
  });

  const covered = notebooks.filter((f) => TINY[f]);
  it.each(covered)("%s runs at a tiny size and records a complete run", { timeout: 120_000 }, async (file) => {
    const tiny = TINY[file];
    const notebook = path.join("experiments", file);
    const summaryFile = path.join(tmp, `${file}.summary.json`);
    const sets = Object.entries(tiny.set).flatMap(([k, v]) => ["--set", `${k}=${v}`]);
    const args = ["run", notebook, "--db", dbFile, "--backend", "wasm", "--summary", summaryFile, ...sets];
    const { code, output } = await run(args);
    expect(code, output).toBe(0);

    const summary = JSON.parse(fs.readFileSync(summaryFile, "utf8")) as Summary;
    expect(summary.status).toBe("finished");
    expect(summary.hparams).toMatchObject(tiny.set);
    for (const key of ["loss_d", "loss_g"]) {
      const last = summary.metrics[key];
      expect(typeof last === "number" && Number.isFinite(last), `${key} = ${last}`).toBe(true);
    }

    const db = new Database(dbFile, { readonly: true });
    try {
      type RunRow = { id: string; experimentId: string; status: string; hparams: string; code: string; backend: string; seed: number | null };
      const r = db.prepare("SELECT * FROM Run WHERE id = ?").get(summary.runId) as RunRow | undefined;
      if (!r) throw new Error(`no Run ${summary.runId} in the database`);
      expect(r.status).toBe("finished");
      expect(r.backend).toBe("wasm");
      const source = fs.readFileSync(path.join(ROOT, notebook), "utf8");
      expect(r.code).toBe(source);
      expect(JSON.parse(r.hparams)).toMatchObject(tiny.set);
      expect(r.seed).toBe(JSON.parse(r.hparams).seed); // the config's seed is the run's
      // The experiment is the notebook, named by its first heading.
      const experiment = db.prepare("SELECT title FROM Experiment WHERE id = ?").get(r.experimentId) as { title: string };
      expect(experiment?.title).toBe(/^\/\/ # (.+)$/m.exec(source)?.[1].trim());

      // A loss value at every step, all finite.
      const steps = Array.from({ length: tiny.set.steps }, (_, i) => i + 1);
      for (const key of ["loss_d", "loss_g"]) {
        const s = series(db, r.id, key);
        expect(s.steps, key).toEqual(steps);
        expect(s.values.every(Number.isFinite), `${key}: ${s.values}`).toBe(true);
      }

      const samples = db.prepare("SELECT COUNT(*) AS n FROM Sample WHERE runId = ?").get(r.id) as { n: number };
      expect(samples.n).toBeGreaterThanOrEqual(1);
      if (tiny.checkpoints) {
        const query = db.prepare("SELECT step, bytes FROM Checkpoint WHERE runId = ? ORDER BY step");
        const saved = query.all(r.id) as { step: number; bytes: number }[];
        expect(saved.map((c) => c.step)).toContain(tiny.set.steps);
        for (const c of saved) expect(c.bytes).toBeGreaterThan(0);
      }
    } finally {
      db.close();
    }
  });
});
