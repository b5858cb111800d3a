// The server process's one KernelManager, made on first use. Kept on globalThis: Next may load this module more
// than once (one copy per route bundle, and again after a reload in development), and there must be one list.
import os from "node:os";
import { isLoopback, listenHost } from "./availability";
import { KernelManager } from "./kernel-manager";

/** ZOETROPE_KERNEL_IDLE_MINUTES: an idle kernel no page is attached to is shut down after this long (60; 0 never). */
function idleMs(): number {
  const minutes = Number(process.env.ZOETROPE_KERNEL_IDLE_MINUTES ?? 60);
  return Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : 0;
}

/**
 * The CPU threads of each kernel (OpenMP's, which the native backend's oneDNN uses): ZOETROPE_KERNEL_THREADS, else
 * OMP_NUM_THREADS as set, else every core but one on a server that listens on loopback, whose pages run on the same
 * machine and need a core to stay fluid (measured on 2 cores: one thread trained MoCoGAN faster than two beside the
 * page, 779 steps against 608 in two minutes), and every core elsewhere.
 */
export function kernelThreads(env: Record<string, string | undefined> = process.env, cores = os.availableParallelism()): number {
  const asked = Number(env.ZOETROPE_KERNEL_THREADS ?? env.OMP_NUM_THREADS);
  if (Number.isInteger(asked) && asked > 0) return asked;
  return isLoopback(listenHost(env)) ? Math.max(1, cores - 1) : cores;
}

/**
 * ZOETROPE_KERNEL_NICE: the kernels' scheduling priority, 10 by default on loopback, where the page shares the
 * machine: its main thread then gets the CPU first when both want it, and the training little less. 0 elsewhere.
 */
export function kernelNiceness(env: Record<string, string | undefined> = process.env): number {
  const asked = Number(env.ZOETROPE_KERNEL_NICE);
  if (env.ZOETROPE_KERNEL_NICE !== undefined && Number.isInteger(asked) && asked >= 0 && asked <= 19) return asked;
  return isLoopback(listenHost(env)) ? 10 : 0;
}

const holder = globalThis as unknown as { zoetropeKernels?: KernelManager };

export function kernels(): KernelManager {
  if (!holder.zoetropeKernels) {
    const manager = new KernelManager({
      idleMs: idleMs(),
      env: { ...process.env, OMP_NUM_THREADS: String(kernelThreads()) },
      niceness: kernelNiceness(),
    });
    holder.zoetropeKernels = manager;
    // Kernel processes leave with the server (they also exit on their own when the IPC channel closes).
    process.once("exit", () => manager.shutdownAll());
  }
  return holder.zoetropeKernels;
}
