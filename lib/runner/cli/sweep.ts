// `zoetrope sweep`: each combination of the grid is its own `zoetrope run` in a child process (a clean TF.js
// memory and backend for each, and a crash stays one failed row), then one table of the results.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseOverride } from "../kernel/config";
import type { JsonValue } from "../protocol";
import type { RunSummary } from "./run";
import { formatTable } from "./terminal";

export interface SweepOptions {
  /** The sweep's own arguments; each child gets them with `run` and its combination's --set. */
  argv: string[];
  file: string;
  grid: string;
  write: (text: string) => void;
}

/** "lr=1e-4,2e-4 model=tgan,vgan" → every combination, the first key varying slowest. */
export function parseGrid(grid: string): Record<string, JsonValue>[] {
  const axes = grid
    .trim()
    .split(/\s+/)
    .map((part) => {
      const eq = part.indexOf("=");
      if (eq <= 0 || eq === part.length - 1) throw new Error(`--grid: expected key=v1,v2,…, got "${part}"`);
      return { key: part.slice(0, eq), values: part.slice(eq + 1).split(",").map(parseOverride) };
    });
  const keys = new Set<string>();
  for (const { key } of axes) {
    if (keys.has(key)) throw new Error(`--grid: ${key} is given twice`);
    keys.add(key);
  }
  return axes.reduce<Record<string, JsonValue>[]>(
    (combos, { key, values }) => combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v }))),
    [{}],
  );
}

/** The sweep's arguments without the command, --grid and --summary, for the children. */
function childArgs(argv: string[]): string[] {
  const out: string[] = [];
  let command = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!command && a === "sweep") command = true;
    else if (a === "--grid" || a === "--summary") i++;
    else if (!a.startsWith("--grid=") && !a.startsWith("--summary=")) out.push(a);
  }
  return out;
}

export async function runSweep(opts: SweepOptions): Promise<number> {
  const combos = parseGrid(opts.grid);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "zoetrope-sweep-"));
  const rows: { combo: Record<string, JsonValue>; summary?: RunSummary; code: number }[] = [];
  let stopped = false;
  process.on("SIGINT", () => (stopped = true)); // the running child gets it too and stops at its next step
  try {
    for (const [i, combo] of combos.entries()) {
      if (stopped) break;
      const label = Object.entries(combo).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(" ");
      opts.write(`\n=== ${i + 1}/${combos.length}: ${label}\n`);
      const summaryFile = path.join(dir, `${i}.json`);
      const sets = Object.entries(combo).flatMap(([k, v]) => ["--set", `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`]);
      const code = await child([process.argv[1], "run", ...childArgs(opts.argv), ...sets, "--summary", summaryFile]);
      const summary = fs.existsSync(summaryFile) ? (JSON.parse(fs.readFileSync(summaryFile, "utf8")) as RunSummary) : undefined;
      rows.push({ combo, summary, code });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  opts.write(`\n${resultsTable(rows)}\n`);
  return rows.every((r) => r.code === 0) && rows.length === combos.length ? 0 : 1;
}

function child(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [...process.execArgv, ...args], { stdio: "inherit" });
    p.on("exit", (code, signal) => resolve(code ?? (signal ? 130 : 1)));
  });
}

/** One row per combination: its values, the run, its status and time, and the last value of each metric. */
export function resultsTable(rows: { combo: Record<string, JsonValue>; summary?: RunSummary; code: number }[]): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.combo)))];
  const metrics = [...new Set(rows.flatMap((r) => Object.keys(r.summary?.metrics ?? {})))].sort();
  const columns = [...keys, "run", "status", "time", ...metrics];
  const body = rows.map(({ combo, summary, code }) => [
    ...keys.map((k) => combo[k] ?? null),
    summary?.name ?? "-",
    summary?.status ?? `exit ${code}`,
    summary ? `${summary.seconds.toFixed(1)} s` : "-",
    ...metrics.map((m) => summary?.metrics[m] ?? null),
  ]);
  return formatTable({ columns, rows: body }, Infinity);
}
