"use client";
// Where a notebook's kernel runs, remembered per notebook in this browser (localStorage). The server's render
// knows nothing of it, so there the place is undefined and no kernel starts until the page is in the browser. A
// server kernel already running for the notebook wins: the page joins it.
import { useCallback, useSyncExternalStore } from "react";
import type { KernelPlace } from "./useKernel";

const key = (experimentId: string) => `zoetrope.kernel-place.${experimentId}`;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

export function useKernelPlace(
  experimentId: string,
  serverAvailable: boolean,
  serverKernelRunning: boolean,
): [KernelPlace | undefined, (place: KernelPlace) => void] {
  const place = useSyncExternalStore<KernelPlace | undefined>(
    subscribe,
    () => {
      if (!serverAvailable) return "browser";
      return serverKernelRunning || window.localStorage.getItem(key(experimentId)) === "server" ? "server" : "browser";
    },
    () => undefined,
  );
  const choose = useCallback(
    (next: KernelPlace) => {
      window.localStorage.setItem(key(experimentId), next);
      for (const l of listeners) l();
    },
    [experimentId],
  );
  return [place, choose];
}
