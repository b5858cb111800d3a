// The `zoetrope` command as a child process against the test file's PostgreSQL database (test/helpers/temp-db.ts),
// and a notebook that logs one point per step, slowly enough to be interrupted or killed mid-run.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const BIN = path.resolve("bin", "zoetrope.js");

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<Result>;
}

/** Starts `zoetrope …` with this process's DATABASE_URL and DATA_DIR (and `env` over them). */
export function start(args: string[], env: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: path.resolve("."), env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<Result>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return { child, output: () => stdout + stderr, exited };
}

export function zoetrope(args: string[], env: Record<string, string> = {}): Promise<Result> {
  return start(args, env).exited;
}

/** A notebook of `steps` steps, each logging loss = lr × step and waiting stepMs; it stops when interrupted. */
export function stepsNotebook(dir: string): string {
  const file = path.join(dir, "steps.ts");
  fs.writeFileSync(
    file,
    [
      "// %% Config",
      "const c = config({ lr: 0.1, steps: 20, stepMs: 20 });",
      "// %% Train",
      "for (let s = 0; s < c.steps; s++) {",
      "  log({ loss: c.lr * s }, s);",
      "  await new Promise((r) => setTimeout(r, c.stepMs));",
      "  signal.throwIfAborted();",
      "}",
      "",
    ].join("\n"),
  );
  return file;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
