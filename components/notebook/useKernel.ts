"use client";
// The page's kernel: a KernelClient over the worker the app serves at /kernel/worker.js (built from
// lib/runner/worker.ts by scripts/build-kernel.ts). A new backend choice replaces the kernel, as a restart does.
import { useEffect, useMemo, useRef } from "react";
import { KernelClient } from "@/lib/runner/kernel-client";
import type { BackendChoice, KernelCommand, KernelEvent } from "@/lib/runner/protocol";

export const KERNEL_WORKER_URL = "/kernel/worker.js";

export interface KernelHandle {
  send(command: KernelCommand): void;
  interrupt(): void;
  restart(): void;
  /** Whether the kernel is recording into a tracked run. */
  runId(): string | undefined;
}

/** Hears every kernel event; `send` answers the kernel that sent it. */
export type KernelListener = (event: KernelEvent, send: (command: KernelCommand) => void) => void;

/** `backend` undefined: the best the browser has (WebGPU, then WebGL, wasm, cpu). */
export function useKernel(backend: BackendChoice | undefined, onEvent: KernelListener): KernelHandle {
  const client = useRef<KernelClient | null>(null);
  const listener = useRef(onEvent);

  useEffect(() => {
    listener.current = onEvent;
  }, [onEvent]);

  useEffect(() => {
    const kernel = new KernelClient({
      createWorker: () => new Worker(KERNEL_WORKER_URL, { name: "zoetrope-kernel" }),
      backend,
      onEvent: (event) => listener.current(event, (command) => kernel.send(command)),
    });
    client.current = kernel;
    return () => {
      kernel.dispose();
      if (client.current === kernel) client.current = null;
    };
  }, [backend]);

  // One handle for the page's lifetime: it reaches whichever kernel is current when called.
  return useMemo(
    () => ({
      send: (command: KernelCommand) => client.current?.send(command),
      interrupt: () => client.current?.interrupt(),
      restart: () => client.current?.restart(),
      runId: () => client.current?.runId,
    }),
    [],
  );
}
