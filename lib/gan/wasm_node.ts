// tfjs-backend-wasm under Node, on as many threads as the native backend.
//
// tfjs-backend-wasm runs single-threaded in Node (its WASM_HAS_MULTITHREAD_SUPPORT flag is false there, because its
// threaded build starts its workers from blob: URLs, which Node's worker_threads refuse). And where it does use
// threads, it takes half the logical cores (for hyper-threading) and lets setThreadsCount ask for fewer only: on a
// 2-core machine that is one thread, in Node and in the browser alike. Here the threaded build is started from its
// files in node_modules instead (the pthread worker script written once to the temp folder), and the core count it
// reads is set so that XNNPACK gets exactly `threads` threads. The matrix products under every convolution run
// 1.9× faster on two cores than on one (1024² matMul: 47 → 89 GFLOP/s).
import { BackendWasm, setThreadsCount, setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import * as tf from "@tensorflow/tfjs-core";
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import workerThreads from "node:worker_threads";

const require = createRequire(import.meta.url);
const BUILD = "tfjs-backend-wasm-threaded-simd";
/** tfjs-backend-wasm pre-starts 8 pthread workers and caps XNNPACK's pool at 8 threads. */
export const MAX_WASM_THREADS = 8;

interface EmscriptenModule {
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => number;
  PThread: { pthreads: Record<number, { unref(): void }> };
}
type Factory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

/** Threads for the CPU backends in Node: OMP_NUM_THREADS where set (it sets oneDNN's too), else every core. */
export function cpuThreads(): number {
  const asked = Number(process.env.OMP_NUM_THREADS);
  return Number.isInteger(asked) && asked > 0 ? asked : os.availableParallelism();
}

/** Where the pthread worker script goes (a name per tfjs version, so processes share it). */
export function workerScriptPath(version: string): string {
  return path.join(os.tmpdir(), `zoetrope-${BUILD}-${version}.worker.cjs`);
}

/** The pthread worker script, which tfjs ships as a JS string, as a file that worker_threads can start. */
function workerScript(wasmOut: string, version: string): string {
  const file = workerScriptPath(version);
  if (existsSync(file) && statSync(file).isFile()) return file;
  const { wasmWorkerContents } = require(path.join(wasmOut, `${BUILD}.worker.js`)) as { wasmWorkerContents: string };
  const temp = `${file}.${process.pid}`;
  // tfjs escapes newlines the same way before it makes its blob: the string holds "\n" escapes as real newlines.
  writeFileSync(temp, wasmWorkerContents.replace(/\n/g, "\\n"));
  renameSync(temp, file); // atomic, so a second process never starts a half-written worker
  return file;
}

/**
 * Runs `start` with worker_threads' Worker starting its threads without the parent's Node flags. Workers inherit
 * them by default, and some (`node --input-type=module -e …`) make a worker started from a file fail; the pthread
 * worker is plain CommonJS and needs none. The build takes its Worker from worker_threads when it is called and
 * starts all its workers then.
 */
async function withPlainWorkers<T>(start: () => Promise<T>): Promise<T> {
  const original = workerThreads.Worker;
  class PlainWorker extends original {
    constructor(file: string | URL, options?: workerThreads.WorkerOptions) {
      super(file, { ...options, execArgv: [] });
    }
  }
  (workerThreads as { Worker: typeof original }).Worker = PlainWorker;
  try {
    return await start();
  } finally {
    (workerThreads as { Worker: typeof original }).Worker = original;
  }
}

async function startThreaded(wasmOut: string, version: string, threads: number): Promise<tf.KernelBackend> {
  const mainScript = path.join(wasmOut, `${BUILD}.js`);
  const factory = require(mainScript) as Factory;
  const worker = workerScript(wasmOut, version);
  const module = await withPlainWorkers(() => factory({
    mainScriptUrlOrBlob: mainScript, // each pthread worker loads the build from here
    locateFile: (file: string) => (file.endsWith(".worker.js") ? worker : path.join(wasmOut, file)),
    instantiateWasm(info: WebAssembly.Imports & { env: WebAssembly.ModuleImports }, receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void) {
      // tfjs's C++ uses min(asked, logical cores / 2) threads: report twice what we want.
      info.env.emscripten_num_logical_cores = () => 2 * threads;
      void WebAssembly.instantiate(readFileSync(path.join(wasmOut, `${BUILD}.wasm`)), info).then((r) => receive(r.instance, r.module));
      return {};
    },
  }));
  // What tfjs's own init() adds before it hands the module to BackendWasm.
  Object.assign(module, {
    tfjs: {
      init: module.cwrap("init", null, []),
      initWithThreadsCount: module.cwrap("init_with_threads_count", null, ["number"]),
      getThreadsCount: module.cwrap("get_threads_count", "number", []),
      registerTensor: module.cwrap("register_tensor", null, ["number", "number", "number"]),
      disposeData: module.cwrap("dispose_data", null, ["number"]),
      dispose: module.cwrap("dispose", null, []),
    },
  });
  setThreadsCount(threads);
  const backend = new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
  // XNNPACK's pool threads live as long as the process; they must not keep it from exiting.
  for (const w of Object.values(module.PThread.pthreads)) w.unref();
  return backend;
}

let registered = false;

/**
 * Makes tf.setBackend("wasm") start the threaded build (call before the wasm backend first starts). Where that
 * cannot start (no writable temp folder, say), tfjs's own single-threaded build runs instead, and a line says why.
 */
export function registerThreadedWasm(threads = cpuThreads()): void {
  if (registered || tf.engine().registry.wasm != null) return; // already started: keep what runs
  registered = true;
  const pkg = require.resolve("@tensorflow/tfjs-backend-wasm/package.json");
  const { version } = JSON.parse(readFileSync(pkg, "utf8")) as { version: string };
  const wasmOut = path.join(path.dirname(pkg), "wasm-out");
  const count = Math.min(Math.max(1, threads), MAX_WASM_THREADS);
  const singleThreaded = tf.findBackendFactory("wasm");
  tf.removeBackend("wasm");
  tf.registerBackend("wasm", async () => {
    try {
      return await startThreaded(wasmOut, version, count);
    } catch (err) {
      if (singleThreaded == null) throw err;
      console.warn(`zoetrope: wasm runs on one thread: its threaded build did not start (${err instanceof Error ? err.message : String(err)})`);
      setWasmPaths(path.join(path.dirname(pkg), "dist") + path.sep); // the Node build reads its .wasm files with fs
      return singleThreaded();
    }
  }, 2); // tfjs-backend-wasm's priority
}
