// Runs the PyTorch reference (shared/bench/torch_video_gan_step.py) when /usr/bin/python3 has torch, and parses
// its one-line summary. OpenBLAS is pinned to one thread: torch's own 2 intra-op threads already use both cores.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

export interface TorchResult {
  variant: "A" | "B";
  version: string;
  params: { G: number; D: number };
  medianMs: number;
  minMs: number;
  maxMs: number;
  n: number;
}

const PYTHON = "/usr/bin/python3";

export function referenceScript(repoRoot: string): string {
  return path.resolve(repoRoot, "..", "shared", "bench", "torch_video_gan_step.py");
}

/** Why the baseline cannot run here, or null when it can. */
export function torchUnavailable(script: string): string | null {
  if (!existsSync(script)) return `${script} not found`;
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const probe = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
  if (probe.status !== 0) return "torch is not installed for /usr/bin/python3 (apt-get install -y python3-torch libopenblas0-pthread)";
  return null;
}

export function runTorch(script: string, variant: "A" | "B", steps: number, threads = 2): TorchResult {
  const out = spawnSync(PYTHON, [script, String(threads), variant, String(steps)], {
    encoding: "utf8",
    env: { ...process.env, OPENBLAS_NUM_THREADS: "1" },
    timeout: 600_000,
  });
  const line = out.stdout.trim().split("\n").at(-1) ?? "";
  const m = line.match(/torch (\S+) .*G=([\d,]+) D=([\d,]+) params step ms: median (\d+)\s+min (\d+)\s+max (\d+)\s+\(n=(\d+)\)/);
  if (out.status !== 0 || !m) throw new Error(`torch run failed (${out.status}): ${out.stderr.trim().split("\n").at(-1) ?? line}`);
  const int = (s: string) => Number(s.replace(/,/g, ""));
  return {
    variant,
    version: m[1],
    params: { G: int(m[2]), D: int(m[3]) },
    medianMs: int(m[4]),
    minMs: int(m[5]),
    maxMs: int(m[6]),
    n: int(m[7]),
  };
}
