// Training-step benchmark: ms per D+G step (median, min, max after warm-up) of every model at 16×32×32 and
// 16×64×64 (default widths, batch 16, 1 channel), and of the PyTorch reference workload rebuilt in TF.js, on each
// backend; with the PyTorch baseline when /usr/bin/python3 has torch.
//   npm run bench:gan [-- --quick] [--backends=native,wasm,webgpu,cpu] [--workloads=refA,refB,tgan,mocogan,vgan]
//                      [--sizes=32,64] [--steps=N] [--warmup=N] [--cell-timeout=SECONDS] [--isa=avx2]
// Each cell runs in a child process (bench/gan-cell.ts) with a time limit, so one slow backend cannot stall the
// run; a cell that overruns reports the steps it finished, or "> limit". On 2 cores, run it on an idle machine.
// --isa=avx2 keeps PyTorch and oneDNN (so native too) to AVX2 on an AVX-512 CPU, for the ratios an AVX2 machine
// would show.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ModelKind } from "../lib/gan/models";
import { avx2Env, modelScript, referenceScript, runTorch, runTorchModel, torchSetting, torchUnavailable, type TorchResult } from "./torch-reference/baseline";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = new Map(process.argv.slice(2).map((a) => [a.replace(/^--/, "").split("=")[0], a.split("=")[1] ?? "true"]));
const quick = args.has("quick");
const list = (key: string, def: string) => (args.get(key) ?? def).split(",").filter(Boolean);
const backends = list("backends", "native,wasm,webgpu");
const workloads = list("workloads", "refA,refB,tgan,mocogan,vgan");
const sizes = list("sizes", "32,64").map(Number);
const warmup = Number(args.get("warmup") ?? (quick ? 1 : 2));
const steps = Number(args.get("steps") ?? (quick ? 1 : 10));
// --quick fits in ~10 minutes on 2 cores: one warm-up and one timed step, and 75 s per cell.
const cellTimeout = Number(args.get("cell-timeout") ?? (quick ? 75 : 900));
const isa = args.get("isa");
if (isa != null && isa !== "avx2") throw new Error(`--isa takes avx2 only, not ${isa}`);
if (isa === "avx2") Object.assign(process.env, avx2Env()); // inherited by PyTorch and by every cell

interface Cell {
  backend: string;
  workload: string;
  size: number;
  params?: { G: number; D: number };
  adapter?: string;
  times: number[]; // timed steps (after warm-up)
  coldMs?: number; // the first warm-up step, when nothing else finished
  peakMb?: number; // the cell process's peak resident memory
  note?: string;
}

/** The cells of one backend, cheapest first (as measured on wasm), so a backend that is too slow stops early. */
function plan(): { workload: string; size: number }[] {
  const order = ["refB:32", "vgan:32", "refA:32", "tgan:32", "mocogan:32", "vgan:64", "tgan:64", "mocogan:64"];
  return order
    .map((key) => ({ workload: key.split(":")[0], size: Number(key.split(":")[1]) }))
    .filter((c) => workloads.includes(c.workload) && sizes.includes(c.size));
}

function runCell(backend: string, workload: string, size: number): Promise<Cell> {
  const cell: Cell = { backend, workload, size, times: [] };
  return new Promise((resolve) => {
    // From the sources through tsx, or the bundle bench/device/pack.ts builds (gan-cell.mjs beside gan.mjs).
    const bundled = path.join(here, "gan-cell.mjs");
    const cellScript = existsSync(bundled) ? [bundled] : ["--import", "tsx", path.join(here, "gan-cell.ts")];
    const child = spawn(process.execPath, [...cellScript, backend, workload, String(size), String(warmup), String(steps)], {
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so a timeout kills it whole
    });
    let buffer = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith("{")) continue;
        const e = JSON.parse(line);
        if (e.event === "info") cell.adapter = e.adapter;
        else if (e.event === "params") cell.params = { G: e.G, D: e.D };
        else if (e.event === "memory") cell.peakMb = e.peakMb;
        else if (e.event === "step" && e.warm) cell.times.push(e.ms);
        else if (e.event === "step") cell.coldMs ??= e.ms;
        else if (e.event === "error") cell.note = explain(backend, e.message);
        if (e.event === "step" && !e.finite) cell.note = "non-finite loss";
      }
    });
    const timer = setTimeout(() => {
      cell.note ??= `> ${cellTimeout} s limit`;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, cellTimeout * 1000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0 && !cell.note) cell.note = stderr.trim().split("\n").at(-1)?.slice(0, 80) || `exit ${code}`;
      resolve(cell);
    });
  });
}

/** wasm32 has a 4 GiB heap; running out shows up as an abort or an out-of-bounds access, not as an OOM error. */
function explain(backend: string, message: string): string {
  return backend === "wasm" && /Aborted\(\)|out of bounds|memory/i.test(message) ? `wasm heap exhausted (4 GiB): ${message.slice(0, 40)}` : message;
}

const fmt = (n?: number) => (n === undefined ? "" : n >= 100 ? n.toFixed(0) : n.toFixed(1));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const key = (workload: string, size: number) => `${workload}:${size}`;
const mb = (n?: number) => (n === undefined ? "" : n.toFixed(0));

function torchRow(workload: string, size: number, t: TorchResult): string[] {
  const counts = [t.params.G, t.params.D].map((n) => n.toLocaleString("en-US"));
  return [workload, `16×${size}×${size}`, `torch ${t.version}`, ...counts, fmt(t.medianMs), fmt(t.minMs), fmt(t.maxMs), String(t.n), "1.00×",
    mb(t.peakMb), t.peakMb ? "1.00×" : "", torchSetting(os.cpus().length)];
}

function row(c: Cell, torch: Map<string, TorchResult>): string[] {
  const t = c.times;
  const ref = torch.get(key(c.workload, c.size));
  const med = t.length ? median(t) : undefined;
  const status = c.note ?? "";
  const cold = !t.length && c.coldMs !== undefined ? `first step ${fmt(c.coldMs)} ms; ` : "";
  return [
    c.workload,
    `16×${c.size}×${c.size}`,
    c.backend,
    c.params ? c.params.G.toLocaleString("en-US") : "",
    c.params ? c.params.D.toLocaleString("en-US") : "",
    fmt(med),
    t.length ? fmt(Math.min(...t)) : "",
    t.length ? fmt(Math.max(...t)) : "",
    String(t.length),
    ref && med !== undefined ? `${(med / ref.medianMs).toFixed(2)}×` : "",
    mb(c.peakMb),
    ref?.peakMb && c.peakMb ? `${(c.peakMb / ref.peakMb).toFixed(2)}×` : "",
    cold + status,
  ];
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((x, i) => (i >= 3 && i <= 11 ? x.padStart(widths[i]) : x.padEnd(widths[i]))).join("  ");
  console.log(line(header).trimEnd());
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r).trimEnd());
}

/** The widest x86 vector extension the CPU has: the wasm/native gap grows with it. */
function vectorWidth(): string {
  try {
    const flags = readFileSync("/proc/cpuinfo", "utf8").match(/^flags\s*:(.*)$/m)?.[1].split(" ") ?? [];
    const widest = flags.includes("avx512f") ? "AVX-512" : flags.includes("avx2") ? "AVX2" : "no AVX2";
    return isa === "avx2" && widest === "AVX-512" ? "AVX-512, kept to AVX2 by --isa=avx2" : widest;
  } catch {
    return "vector width unknown";
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(`bench:gan  batch 16, 1 channel, default widths; warm-up ${warmup}, timed ${steps}, cell limit ${cellTimeout} s`);
  console.log(`${os.cpus().length} cores (${os.cpus()[0]?.model}; ${vectorWidth()}), load ${os.loadavg()[0].toFixed(1)}, node ${process.version}\n`);

  // PyTorch first, on the idle machine: the reference workloads and the ports of the three models
  // (bench/torch-reference/torch_models_step.py), with as many threads as the machine has cores.
  const torch = new Map<string, TorchResult>();
  const repo = path.resolve(here, "..");
  const missing = torchUnavailable(referenceScript(repo)) ?? torchUnavailable(modelScript(repo));
  if (missing) console.log(`PyTorch baseline missing: ${missing}\n`);
  const torchSteps = quick ? 3 : steps;
  for (const { workload, size } of missing ? [] : plan()) {
    try {
      const threads = os.cpus().length;
      const result = workload.startsWith("ref")
        ? runTorch(referenceScript(repo), workload.slice(3) as "A" | "B", torchSteps, threads)
        : runTorchModel(repo, workload as ModelKind, size, torchSteps, threads);
      torch.set(key(workload, size), result);
      process.stderr.write(`  torch ${workload} ${size}: ${fmt(result.medianMs)} ms\n`);
    } catch (err) {
      console.log(`PyTorch ${workload} ${size}: ${(err as Error).message}`);
    }
  }

  const cells: Cell[] = [];
  for (const backend of backends) {
    let tooSlow: Cell | undefined;
    for (const { workload, size } of plan()) {
      if (tooSlow) {
        cells.push({ backend, workload, size, times: [], note: `skipped: ${tooSlow.workload} at ${tooSlow.size}×${tooSlow.size} already ran past the limit` });
        continue;
      }
      const cell = await runCell(backend, workload, size);
      cells.push(cell);
      if (cell.note?.includes("limit")) tooSlow = cell; // later cells are costlier: they would time out too
      process.stderr.write(`  ${backend} ${workload} ${size}: ${cell.times.length ? fmt(median(cell.times)) + " ms" : cell.note}\n`);
    }
  }

  const header = ["workload", "video", "backend", "G params", "D params", "median ms", "min", "max", "n", "vs torch", "peak MB", "vs torch", "note"];
  // Rows grouped by workload and size, backends side by side, PyTorch right under them.
  const rank = (c: Cell) => [workloads.indexOf(c.workload), c.size, backends.indexOf(c.backend)];
  const sorted = [...cells].sort((a, b) => rank(a).reduce((d, x, i) => d || x - rank(b)[i], 0));
  const rows: string[][] = [];
  for (const c of sorted) {
    rows.push(row(c, torch));
    const t = torch.get(key(c.workload, c.size));
    const last = sorted.filter((x) => x.workload === c.workload && x.size === c.size).at(-1) === c;
    if (t && last) {
      rows.push(torchRow(c.workload, c.size, t));
    }
  }
  // PyTorch's figures for workloads no backend ran (a PyTorch-only run: --backends=).
  for (const [k, t] of torch) {
    if (cells.some((c) => key(c.workload, c.size) === k)) continue;
    const [workload, size] = k.split(":");
    rows.push(torchRow(workload, Number(size), t));
  }
  console.log();
  printTable(header, rows);

  for (const [k, t] of torch) {
    const ours = cells.find((c) => key(c.workload, c.size) === k && c.params);
    if (ours?.params && (ours.params.G !== t.params.G || ours.params.D !== t.params.D)) {
      console.log(`\nWARNING: ${k} parameter counts differ from PyTorch's (G ${ours.params.G} vs ${t.params.G}, D ${ours.params.D} vs ${t.params.D})`);
    }
  }
  const adapters = [...new Set(cells.filter((c) => c.adapter).map((c) => `${c.backend}: ${c.adapter}`))];
  if (adapters.length) console.log(`\nadapters: ${adapters.join("; ")}`);
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

void main();
