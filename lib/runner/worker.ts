// The kernel's Web Worker (a module worker): kernel-host.ts runs the Kernel on its messages, the first of which,
// `init`, starts the TF.js backend. Running cells here keeps the page responsive, and lets the page kill a cell
// stuck in synchronous code by terminating the whole worker (kernel-client.ts).
// Browser-only: nothing Node-only may be imported from here (no cli/, no tracker database).
import * as tf from "@tensorflow/tfjs-core";
import * as gan from "../gan";
import { Kernel } from "./kernel/kernel";
import { createKernelHost } from "./kernel-host";
import type { JsonValue, KernelCommand, KernelEvent } from "./protocol";
import { HttpSink } from "./tracking/http-sink";

/** Where tfjs-backend-wasm's .wasm files are served: the default would look next to this script's bundle. */
const WASM_PATHS = "/wasm/";

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

const handle = createKernelHost({ emit, start: init });
self.addEventListener("message", (e: MessageEvent<KernelCommand>) => handle(e.data));

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
