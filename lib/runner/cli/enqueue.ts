// `zoetrope sweep notebook.ts --grid "…" --queue NAME`: records the sweep in the PostgreSQL tracker and queues one job
// per combination for `zoetrope worker`s, then returns. Enqueuing the same sweep again adds nothing.
import fs from "node:fs";
import path from "node:path";
import { notebookTitle } from "../notebook";
import type { JsonValue } from "../protocol";
import { parseGrid } from "./sweep";

export interface EnqueueOptions {
  file: string;
  grid: string;
  queue: string;
  overrides: Record<string, JsonValue>;
  seed?: number;
  backend?: string;
  /** The app's address, for the sweep page's link */
  appUrl: string;
  /** --url as given: workers record through it too */
  url?: string;
  write: (text: string) => void;
}

export async function enqueueCommand(opts: EnqueueOptions): Promise<number> {
  const combos = parseGrid(opts.grid);
  const notebook = fs.readFileSync(opts.file, "utf8");
  const { databaseUrl } = await import("../../tracker/paths");
  const { migrateDatabase } = await import("../../tracker/migrate");
  const { openBoss } = await import("../../queue/boss");
  const { enqueueSweep } = await import("../../queue/sweep-jobs");
  const { DbSink } = await import("./db-sink");
  const url = databaseUrl();
  const boss = await openBoss(url); // first: a one-line error when DATABASE_URL is not PostgreSQL or not reachable
  try {
    await migrateDatabase(url);
    const experimentId = await new DbSink(url).ensureExperiment(notebookTitle(notebook, path.basename(opts.file, ".ts")), notebook);
    const args = { set: opts.overrides, ...(opts.seed === undefined ? {} : { seed: opts.seed }), ...(opts.backend ? { backend: opts.backend } : {}) };
    const done = await enqueueSweep(boss, { experimentId, queue: opts.queue, file: path.basename(opts.file), notebook, grid: opts.grid, combos, args });
    opts.write(
      done.created
        ? `sweep ${done.sweepId}: ${done.jobs} job(s) queued on "${opts.queue}"\n`
        : `sweep ${done.sweepId} was queued before: nothing added (${done.jobs} job(s) on "${opts.queue}")\n`,
    );
    const through = opts.url ? ` --url ${opts.url}` : "";
    opts.write(`  follow it at ${opts.appUrl.replace(/\/$/, "")}/sweeps/${done.sweepId}\n  start workers with: zoetrope worker --queue ${opts.queue}${through}\n`);
    return 0;
  } finally {
    await boss.stop({ graceful: false });
  }
}
