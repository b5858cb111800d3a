// Runs the PyTorch baselines when /usr/bin/python3 has torch, and parses their one-line summaries: the reference
// workload (shared/bench/torch_video_gan_step.py) and this project's models (torch_models_step.py, beside this file).
// OpenBLAS is pinned to one thread: torch's own 2 intra-op threads already use both cores.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { ModelKind } from "../../lib/gan/models";

export interface TorchResult {
  /** "A" | "B" for the reference workload; "<model>:<size>" (e.g. "vgan:32") for a model. */
  variant: string;
  version: string;
  params: { G: number; D: number };
  medianMs: number;
  minMs: number;
  maxMs: number;
  n: number;
  /** The Python process's peak resident memory. */
  peakMb?: number;
}

const PYTHON = "/usr/bin/python3";

export function referenceScript(repoRoot: string): string {
  return path.resolve(repoRoot, "..", "shared", "bench", "torch_video_gan_step.py");
}

/** The PyTorch port of the models: python3 torch_models_step.py <threads> <model> <size> <steps>. */
export function modelScript(repoRoot: string): string {
  return path.resolve(repoRoot, "bench", "torch-reference", "torch_models_step.py");
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
  return run(script, [String(threads), variant, String(steps)], variant);
}

/** A model's training step in PyTorch, built and trained as the TF.js model at its defaults (1 channel, batch 16). */
export function runTorchModel(repoRoot: string, kind: ModelKind, size: number, steps: number, threads = 2): TorchResult {
  return run(modelScript(repoRoot), [String(threads), kind, String(size), String(steps)], `${kind}:${size}`);
}

// Runs a script as __main__, then prints the process's peak resident memory (ru_maxrss, KiB on Linux). With
// ZT_TORCH_DEVICE=cuda (torch ≥ 2.0) every module and tensor the script makes lives on the GPU, TF32 is on only with
// ZT_TORCH_TF32=1, and each time.perf_counter() the script times its steps with first waits for the GPU.
const WITH_PEAK_MEMORY = [
  "import os, resource, runpy, sys, time",
  "sys.argv = sys.argv[1:]",
  "device = os.environ.get('ZT_TORCH_DEVICE')",
  "if device:",
  "    import torch",
  "    torch.set_default_device(device)",
  "    tf32 = os.environ.get('ZT_TORCH_TF32') == '1'",
  "    torch.backends.cuda.matmul.allow_tf32 = tf32; torch.backends.cudnn.allow_tf32 = tf32",
  "    clock = time.perf_counter",
  "    def synced():",
  "        torch.cuda.synchronize(); return clock()",
  "    time.perf_counter = synced",
  "runpy.run_path(sys.argv[0], run_name='__main__')",
  "print('peak_rss_kib', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)",
].join("\n");

/**
 * Environment that keeps PyTorch (ATen's kernels, OpenBLAS) and oneDNN (PyTorch's convolutions and the native
 * backend's) to AVX2 on a CPU with AVX-512: an AVX2 machine of the same clock and cores, as far as software can make
 * one. wasm is unaffected (its SIMD is 128 bits wide whatever the CPU).
 */
export function avx2Env(): Record<string, string> {
  return { ATEN_CPU_CAPABILITY: "avx2", ONEDNN_MAX_CPU_ISA: "AVX2", OPENBLAS_CORETYPE: "Haswell" };
}

/** How PyTorch runs: "2 threads (OpenBLAS 1)" on the CPU, or the ZT_TORCH_DEVICE it was sent to. */
export function torchSetting(threads: number): string {
  const device = process.env.ZT_TORCH_DEVICE;
  return device ? `${device}, TF32 ${process.env.ZT_TORCH_TF32 === "1" ? "on" : "off"}` : `${threads} threads (OpenBLAS 1)`;
}

function run(script: string, args: string[], variant: string): TorchResult {
  const out = spawnSync(PYTHON, ["-c", WITH_PEAK_MEMORY, script, ...args], {
    encoding: "utf8",
    env: { ...process.env, OPENBLAS_NUM_THREADS: "1" },
    timeout: 600_000,
  });
  const lines = out.stdout.trim().split("\n");
  const peak = lines.find((l) => l.startsWith("peak_rss_kib "));
  const line = lines.filter((l) => !l.startsWith("peak_rss_kib ")).at(-1) ?? "";
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
    peakMb: peak ? Number(peak.split(" ")[1]) / 1024 : undefined,
  };
}
