// The server process's one KernelManager, made on first use. Kept on globalThis: Next may load this module more
// than once (one copy per route bundle, and again after a reload in development), and there must be one list.
import { KernelManager } from "./kernel-manager";

/** ZOETROPE_KERNEL_IDLE_MINUTES: an idle kernel no page is attached to is shut down after this long (60; 0 never). */
function idleMs(): number {
  const minutes = Number(process.env.ZOETROPE_KERNEL_IDLE_MINUTES ?? 60);
  return Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : 0;
}

const holder = globalThis as unknown as { zoetropeKernels?: KernelManager };

export function kernels(): KernelManager {
  if (!holder.zoetropeKernels) {
    const manager = new KernelManager({ idleMs: idleMs() });
    holder.zoetropeKernels = manager;
    // Kernel processes leave with the server (they also exit on their own when the IPC channel closes).
    process.once("exit", () => manager.shutdownAll());
  }
  return holder.zoetropeKernels;
}
