// Every route file of the app with its URL pattern, for tests that go through all of them (the fuzz suite, the
// method checks). routeFilesOnDisk() lets a test fail when a route is added without being listed here.
import fs from "node:fs";
import path from "node:path";
import * as catchAll from "@/app/api/[[...slug]]/route";
import * as login from "@/app/api/auth/login/route";
import * as logout from "@/app/api/auth/logout/route";
import * as experiment from "@/app/api/experiments/[id]/route";
import * as experiments from "@/app/api/experiments/route";
import * as kernelCommands from "@/app/api/kernels/[id]/commands/route";
import * as kernelEvents from "@/app/api/kernels/[id]/events/route";
import * as kernel from "@/app/api/kernels/[id]/route";
import * as kernels from "@/app/api/kernels/route";
import * as checkpointModel from "@/app/api/runs/[id]/checkpoints/[cid]/model.json/route";
import * as checkpoint from "@/app/api/runs/[id]/checkpoints/[cid]/route";
import * as checkpointWeights from "@/app/api/runs/[id]/checkpoints/[cid]/weights.bin/route";
import * as checkpoints from "@/app/api/runs/[id]/checkpoints/route";
import * as runExport from "@/app/api/runs/[id]/export/route";
import * as heartbeat from "@/app/api/runs/[id]/heartbeat/route";
import * as metricKeys from "@/app/api/runs/[id]/metrics/keys/route";
import * as metrics from "@/app/api/runs/[id]/metrics/route";
import * as run from "@/app/api/runs/[id]/route";
import * as samples from "@/app/api/runs/[id]/samples/route";
import * as runImport from "@/app/api/runs/import/route";
import * as runs from "@/app/api/runs/route";
import * as sample from "@/app/api/samples/[id]/route";
import * as share from "@/app/api/share/[id]/route";
import * as shares from "@/app/api/share/route";
import * as sweepCancel from "@/app/api/sweeps/[id]/cancel/route";
import * as sweep from "@/app/api/sweeps/[id]/route";
import * as sharedCatchAll from "@/app/s/[token]/api/[[...slug]]/route";
import * as sharedMetrics from "@/app/s/[token]/api/runs/[id]/metrics/route";
import * as sharedSample from "@/app/s/[token]/api/samples/[id]/route";

export type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type Method = (typeof METHODS)[number];

export interface AppRoute {
  /** The folder under app/, e.g. "api/runs/[id]/metrics". */
  folder: string;
  handlers: Partial<Record<Method, Handler>>;
}

const table: [string, object][] = [
  ["api/[[...slug]]", catchAll],
  ["api/auth/login", login],
  ["api/auth/logout", logout],
  ["api/experiments/[id]", experiment],
  ["api/experiments", experiments],
  ["api/kernels/[id]/commands", kernelCommands],
  ["api/kernels/[id]/events", kernelEvents],
  ["api/kernels/[id]", kernel],
  ["api/kernels", kernels],
  ["api/runs/[id]/checkpoints/[cid]/model.json", checkpointModel],
  ["api/runs/[id]/checkpoints/[cid]", checkpoint],
  ["api/runs/[id]/checkpoints/[cid]/weights.bin", checkpointWeights],
  ["api/runs/[id]/checkpoints", checkpoints],
  ["api/runs/[id]/export", runExport],
  ["api/runs/[id]/heartbeat", heartbeat],
  ["api/runs/[id]/metrics/keys", metricKeys],
  ["api/runs/[id]/metrics", metrics],
  ["api/runs/[id]", run],
  ["api/runs/[id]/samples", samples],
  ["api/runs/import", runImport],
  ["api/runs", runs],
  ["api/samples/[id]", sample],
  ["api/share/[id]", share],
  ["api/share", shares],
  ["api/sweeps/[id]/cancel", sweepCancel],
  ["api/sweeps/[id]", sweep],
  ["s/[token]/api/[[...slug]]", sharedCatchAll],
  ["s/[token]/api/runs/[id]/metrics", sharedMetrics],
  ["s/[token]/api/samples/[id]", sharedSample],
];

export const ROUTES: AppRoute[] = table.map(([folder, mod]) => ({ folder, handlers: mod as AppRoute["handlers"] }));

/** The dynamic segments of a folder: [id] → "id", [[...slug]] → "slug" (a catch-all, an array of segments). */
export function paramNames(folder: string): { name: string; catchAll: boolean }[] {
  return folder
    .split("/")
    .map((part) => /^\[\[?(\.\.\.)?(\w+)\]?\]$/.exec(part))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[2], catchAll: m[1] === "..." }));
}

/** The URL of a folder with its params filled in (each already decoded, as Next hands them over: encoded here). */
export function urlOf(folder: string, params: Record<string, string | string[]>): string {
  const parts = folder.split("/").flatMap((part) => {
    const m = /^\[\[?(\.\.\.)?(\w+)\]?\]$/.exec(part);
    if (!m) return [part];
    const value = params[m[2]];
    return (Array.isArray(value) ? value : [value]).map((v) => encodeURIComponent(v));
  });
  return "/" + parts.join("/");
}

/** Every route.ts under app/, as folders like those in ROUTES. */
export function routeFilesOnDisk(root = path.resolve("app")): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name === "route.ts") found.push(path.relative(root, dir).split(path.sep).join("/"));
    }
  };
  walk(root);
  return found.sort();
}
