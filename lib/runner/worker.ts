// The kernel's Web Worker (a module worker): the first message is `init`, which starts the TF.js backend and the
// Kernel; every later message is a KernelCommand for it. Running cells here keeps the page responsive, and lets the
// page kill a cell stuck in synchronous code by terminating the whole worker (kernel-client.ts).
// Browser-only: nothing Node-only may be imported from here (no cli/, no tracker database).
import * as tf from "@tensorflow/tfjs-core";
import * as gan from "../gan";
import { Kernel } from "./kernel/kernel";
import type { JsonValue, KernelCommand, KernelEvent } from "./protocol";
import { HttpSink } from "./tracking/http-sink";

/** Where tfjs-backend-wasm's .wasm files are served: the default would look next to this script's bundle. */
const WASM_PATHS = "/wasm/";

type State =
  | { phase: "new" }
  | { phase: "starting"; queue: KernelCommand[] }
  | { phase: "ready"; kernel: Kernel }
  | { phase: "dead" };

let state: State = { phase: "new" };

function emit(event: KernelEvent): void {
  postMessage(event, { transfer: transferables(event) });
}

/**
 * Moving a buffer instead of copying it is only safe when nothing else holds it: an output's bytes are made for that
 * output alone (display copies what the cell passed), while a sample's bytes are also queued for upload to the
 * tracker, and a view into a larger or shared buffer would hand over (or fail on) more than its own bytes.
 */
function transferables(event: KernelEvent): Transferable[] {
  if (event.op !== "output") return [];
  const data = event.output.data;
  if (!(data instanceof Uint8Array) || !(data.buffer instanceof ArrayBuffer)) return [];
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? [data.buffer] : [];
}

function warn(message: string): void {
  emit({ op: "warning", message });
}

async function init(command: Extract<KernelCommand, { type: "init" }>): Promise<Kernel> {
  const { backend, adapter, fallbackReason } = await gan.initBackend(command.backend, {
    wasmPaths: new URL(WASM_PATHS, self.location.href).href,
  });
  emit({ op: "kernel-info", backend, adapter: adapter?.description, fallbackReason });
  // Without a GPU adapter (wasm, cpu) the run still says what ran it: the browser and its number of cores.
  const device: Record<string, JsonValue> = {
    ...(adapter ? { vendor: adapter.vendor, architecture: adapter.architecture, description: adapter.description } : {}),
    userAgent: navigator.userAgent,
    cores: navigator.hardwareConcurrency,
  };
  return new Kernel({ emit, globals: { tf, gan }, sink: new HttpSink(command.trackerUrl ?? ""), backend: { backend, device } });
}

function start(command: Extract<KernelCommand, { type: "init" }>, queue: KernelCommand[]): void {
  state = { phase: "starting", queue };
  init(command).then(
    (kernel) => {
      const queued = state.phase === "starting" ? state.queue : [];
      state = { phase: "ready", kernel };
      emit({ op: "status", status: "idle" });
      for (const c of queued) kernel.handle(c);
    },
    (e: unknown) => {
      state = { phase: "dead" };
      warn(`the kernel could not start: ${e instanceof Error ? e.message : String(e)}`);
      emit({ op: "status", status: "dead" });
    },
  );
}

self.addEventListener("message", (e: MessageEvent<KernelCommand>) => {
  const command = e.data;
  switch (state.phase) {
    case "ready":
      state.kernel.handle(command);
      return;
    case "starting":
      state.queue.push(command); // handled once the backend is up, in the order sent
      return;
    case "dead":
      return;
    case "new":
      if (command.type === "init") return start(command, []);
      warn(`the first message must be "init", got "${command.type}": starting with the default backend`);
      return start({ type: "init" }, [command]);
  }
});

// A cell's stray callback (a timer, a promise nobody awaited) must not reach the page as a worker error: the page
// treats that as a crash and replaces the kernel, losing every variable.
self.addEventListener("unhandledrejection", (e) => {
  e.preventDefault();
  const reason: unknown = e.reason;
  warn(`unhandled rejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}`);
});

self.addEventListener("error", (e) => {
  e.preventDefault();
  warn(`uncaught error: ${e.message}`);
});
