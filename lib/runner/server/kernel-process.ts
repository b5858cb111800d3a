// A server kernel: one Node process per kernel, started by kernel-manager.ts with an IPC channel. Commands arrive as
// IPC messages and events leave the same way (advanced serialization: typed arrays travel as they are). Runs are
// recorded straight into the tracker's database, as `zoetrope run` records them. The fastest backend in Node is
// chosen unless the page asks for one: a GPU through Dawn, else the native CPU backend, else wasm.
import os from "node:os";
import * as tf from "@tensorflow/tfjs-core";
import * as gan from "../../gan";
import { DbSink } from "../cli/db-sink";
import { Kernel } from "../kernel/kernel";
import { createKernelHost } from "../kernel-host";
import type { JsonValue, KernelCommand, KernelEvent } from "../protocol";
import type { FromKernelProcess } from "./messages";

/** How often the process reports its memory to the manager (the kernels list shows it). */
const MEMORY_REPORT_MS = 5000;

function send(message: FromKernelProcess): void {
  process.send?.(message);
}

function emit(event: KernelEvent): void {
  send({ kind: "event", event });
}

async function start(command: Extract<KernelCommand, { type: "init" }>): Promise<Kernel> {
  const info = await gan.initBackend(command.backend === "webgl" ? undefined : command.backend);
  emit({ op: "kernel-info", backend: info.backend, adapter: info.adapter?.description, fallbackReason: info.fallbackReason });
  const device: Record<string, JsonValue> = { runtime: `node ${process.version}`, host: os.hostname(), cores: os.availableParallelism() };
  if (process.env.OMP_NUM_THREADS) device.threads = Number(process.env.OMP_NUM_THREADS);
  if (info.adapter) device.adapter = JSON.parse(JSON.stringify(info.adapter)) as JsonValue;
  return new Kernel({ emit, globals: { tf, gan }, sink: new DbSink("the server's database"), backend: { backend: info.backend, device } });
}

const handle = createKernelHost({ emit, start });
process.on("message", (command: KernelCommand) => handle(command));
// The manager is gone (the server stopped or crashed): nobody can reach this kernel any more.
process.on("disconnect", () => process.exit(0));

// As in the browser's worker: a cell's stray callback is a warning, not the end of the kernel.
process.on("unhandledRejection", (reason: unknown) => {
  emit({ op: "warning", message: `unhandled rejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}` });
});
process.on("uncaughtException", (err: Error) => emit({ op: "warning", message: `uncaught error: ${err.message}` }));

setInterval(() => send({ kind: "memory", rss: process.memoryUsage.rss() }), MEMORY_REPORT_MS).unref();
send({ kind: "memory", rss: process.memoryUsage.rss() });
