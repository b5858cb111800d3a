"use client";
// The page's kernel: a KernelClient over the worker the app serves at /kernel/worker.js (built from
// lib/runner/worker.ts by scripts/build-kernel.ts), or over a server kernel (RemoteKernel). A new backend or place
// replaces the kernel, as a restart does; a server kernel is only let go of, and the page's first one joins the
// kernel already running for the notebook.
import { useEffect, useMemo, useRef } from "react";
import { KernelClient, type KernelPort } from "@/lib/runner/kernel-client";
import { RemoteKernel } from "@/lib/runner/remote-kernel";
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

/** Where the kernel runs: a Web Worker in this page, or a Node process on the server. */
export type KernelPlace = "browser" | "server";

export interface KernelWhere {
  /** Undefined: no kernel yet (the page has not decided). */
  place: KernelPlace | undefined;
  /** Undefined: the best there (browser: WebGPU, WebGL, wasm, cpu; server: a GPU, native, wasm). */
  backend: BackendChoice | undefined;
  experimentId: string;
}

export function useKernel({ place, backend, experimentId }: KernelWhere, onEvent: KernelListener): KernelHandle {
  const client = useRef<KernelClient | null>(null);
  const listener = useRef(onEvent);

  useEffect(() => {
    listener.current = onEvent;
  }, [onEvent]);

  useEffect(() => {
    if (!place) return;
    let first = true;
    const createWorker = (): KernelPort => {
      if (place === "browser") return new Worker(KERNEL_WORKER_URL, { name: "zoetrope-kernel" });
      const attach = first;
      first = false;
      return new RemoteKernel({ experimentId, attach });
    };
    const kernel = new KernelClient({
      createWorker,
      backend,
      onEvent: (event) => listener.current(event, (command) => kernel.send(command)),
    });
    client.current = kernel;
    return () => {
      kernel.dispose();
      if (client.current === kernel) client.current = null;
    };
  }, [place, backend, experimentId]);

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
