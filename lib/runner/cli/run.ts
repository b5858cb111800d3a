// `zoetrope run`: every code cell of a notebook file, in order, in one kernel in this process, recorded as one run.
import fs from "node:fs";
import path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import * as gan from "../../gan";
import { notebookTitle, parseNotebook, sourceStartLines } from "../notebook";
import type { BackendChoice, CellErrorData, JsonValue, KernelEvent, RunEndStatus, SweepLink } from "../protocol";
import { Kernel } from "../kernel/kernel";
import type { TrackerSink } from "../tracking/sink";
import { seconds, TerminalView } from "./terminal";

export interface RunOptions {
  file: string;
  overrides: Record<string, JsonValue>;
  seed?: number;
  backend?: BackendChoice;
  sink: TrackerSink;
  name?: string;
  outDir?: string;
  write: (text: string) => void;
  live: boolean;
  /** A sweep's job: the run goes into the sweep's experiment, linked to the sweep */
  sweep?: SweepJob;
}

/** What a worker tells the `zoetrope run` it starts for a sweep's job (see worker.ts). */
export interface SweepJob extends SweepLink {
  experimentId: string;
  /** host:pid of the worker, recorded in the run's device */
  worker: string;
}

export interface RunSummary {
  file: string;
  runId?: string;
  name?: string;
  status: RunEndStatus;
  /** Where it failed, in the notebook file's own lines. */
  failure?: { cell: string; line?: number; column?: number; error: CellErrorData };
  hparams: Record<string, JsonValue>;
  /** The value at the highest step of each metric. */
  metrics: Record<string, number | null>;
  seconds: number;
}

/** Runs the notebook; never throws for a failing cell (the summary says what failed and where). */
export async function runNotebook(opts: RunOptions, onKernel?: (kernel: Kernel) => void): Promise<RunSummary> {
  const started = performance.now();
  const text = fs.readFileSync(opts.file, "utf8");
  const nb = parseNotebook(text);
  const starts = sourceStartLines(nb);
  const codeCells = nb.cells.map((c, i) => ({ cell: c, index: i, start: starts[i] })).filter((c) => c.cell.kind === "code");
  const label = (id: string) => {
    const n = codeCells.findIndex((c) => c.cell.id === id);
    const title = codeCells[n]?.cell.title;
    return `cell ${n + 1}/${codeCells.length}${title ? ` «${title}»` : ""}`;
  };
  const view = new TerminalView({ write: opts.write, live: opts.live, outDir: opts.outDir, cellLabel: label });
  const summary: RunSummary = { file: opts.file, status: "finished", hparams: {}, metrics: {}, seconds: 0 };
  const lastStep: Record<string, number> = {};
  const emit = (event: KernelEvent) => {
    view.handle(event);
    if (event.op === "config") summary.hparams = event.hparams;
    if (event.op === "run-started") summary.name = event.name;
    if (event.op === "metric") {
      for (const p of event.points) {
        if (p.step >= (lastStep[p.key] ?? -1)) {
          lastStep[p.key] = p.step;
          summary.metrics[p.key] = Number.isFinite(p.value) ? p.value : null;
        }
      }
    }
  };

  const info = await gan.initBackend(opts.backend);
  emit({ op: "kernel-info", backend: info.backend, adapter: info.adapter?.description, fallbackReason: info.fallbackReason });
  const device: Record<string, JsonValue> = { runtime: `node ${process.version}` };
  if (opts.sweep) device.worker = opts.sweep.worker;
  if (info.adapter) device.adapter = JSON.parse(JSON.stringify(info.adapter)) as JsonValue;
  const kernel = new Kernel({ emit, globals: { tf, gan }, sink: opts.sink, backend: { backend: info.backend, device } });
  onKernel?.(kernel);
  const overrides = opts.seed === undefined ? opts.overrides : { ...opts.overrides, seed: opts.seed };
  kernel.setOverrides(overrides);

  const experimentId = opts.sweep?.experimentId ?? (await opts.sink.ensureExperiment(notebookTitle(text, path.basename(opts.file, ".ts")), text));
  const sweep = opts.sweep && { sweepId: opts.sweep.sweepId, sweepJob: opts.sweep.sweepJob, attempt: opts.sweep.attempt };
  await kernel.startRun({ experimentId, code: text, name: opts.name, seed: opts.seed, sweep });
  summary.runId = kernel.runId;

  for (const { cell, start } of codeCells) {
    const result = await kernel.runCell(cell.id, cell.source);
    if (result.outcome === "ok") continue;
    summary.status = result.outcome === "error" ? "failed" : "interrupted";
    if (result.error) {
      const line = result.error.line === undefined ? undefined : start + result.error.line - 1;
      summary.failure = { cell: label(cell.id), line, column: result.error.column, error: result.error };
    }
    break;
  }
  const unused = kernel.unusedOverrides();
  if (unused.length) opts.write(`! no config() key named ${unused.join(", ")}: ${unused.length > 1 ? "those overrides were" : "that override was"} not used\n`);
  const failure = summary.failure;
  const error = failure ? `${failure.cell}, line ${failure.line ?? "?"}: ${failure.error.name}: ${failure.error.message}` : undefined;
  await kernel.endRun(summary.status, error);
  await kernel.dispose();
  summary.seconds = (performance.now() - started) / 1000;
  printSummary(summary, opts);
  return summary;
}

function printSummary(s: RunSummary, opts: RunOptions): void {
  const w = opts.write;
  if (s.failure) {
    const f = s.failure;
    const where = f.line !== undefined ? `${opts.file}:${f.line}${f.column !== undefined ? `:${f.column}` : ""}` : opts.file;
    w(`\n✗ ${f.cell} failed at ${where}\n  ${f.error.name}: ${f.error.message}\n`);
    if (f.line !== undefined) {
      const source = fs.readFileSync(opts.file, "utf8").split("\n")[f.line - 1];
      if (source !== undefined) w(`  ${f.line} | ${source}\n${" ".repeat(String(f.line).length + 5 + (f.column ?? 1) - 1)}^\n`);
    }
  }
  const metrics = Object.entries(s.metrics).map(([k, v]) => `${k} ${v === null ? "NaN" : Number(v.toPrecision(4))}`);
  w(`\n${s.status === "finished" ? "✓" : "✗"} run ${s.name ?? s.runId ?? ""} ${s.status} in ${seconds(s.seconds * 1000)}`);
  w(`${s.runId ? ` — recorded as ${s.runId} in ${opts.sink.where}` : ""}\n`);
  if (metrics.length) w(`  last: ${metrics.join(", ")}\n`);
}
