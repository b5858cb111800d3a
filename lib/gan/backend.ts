// Picks and starts the TF.js backend, in the browser (page or Web Worker) and in Node.
//
// Order: webgpu → webgl → native → wasm → cpu, skipping GPU backends that only have a software rasteriser
// (SwiftShader, llvmpipe): on this class of machine they are 10–100× slower than the CPU backends. `native`
// (Node only: oneDNN through koffi, lib/gan/native) is the fastest CPU backend; without libdnnl it is passed over
// with one line saying how to install it, and wasm, whose matMul-based conv kernels (lib/gan/ops) make it the
// fastest portable CPU backend, takes its place. Ask for a backend by name to get it anyway.
// Every backend is patched (lib/gan/ops) right after it starts.
import * as tf from "@tensorflow/tfjs-core";
import { patchBackendKernels, registerGradients } from "./ops";

export type BackendName = "webgpu" | "webgl" | "native" | "wasm" | "cpu";

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
}

export interface BackendInfo {
  backend: BackendName;
  /** The WebGPU adapter (webgpu) or the WebGL renderer (webgl, in `description`). */
  adapter?: AdapterSummary;
  /** Why earlier candidates were passed over, when the first choice was not taken. */
  fallbackReason?: string;
}

export interface InitOptions {
  /** Where the browser fetches tfjs-backend-wasm's .wasm files (a URL prefix ending in "/"). */
  wasmPaths?: string;
}

const ORDER: BackendName[] = ["webgpu", "webgl", "native", "wasm", "cpu"];

const isNode = typeof process !== "undefined" && process.versions?.node != null && typeof window === "undefined" &&
  typeof (globalThis as { importScripts?: unknown }).importScripts !== "function";

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render/i;

interface Candidate {
  adapter?: AdapterSummary;
  /** Set when the backend can run but should only be used on request (software GPU). */
  softwareOnly?: boolean;
}

/** Imports a backend package and makes sure it is registered; returns what we know of its device. */
async function load(name: BackendName, opts: InitOptions, explicit: boolean): Promise<Candidate> {
  switch (name) {
    case "cpu":
      await import("@tensorflow/tfjs-backend-cpu");
      return {};
    case "native": {
      if (!isNode) throw new Error("native runs only in Node");
      await import("@tensorflow/tfjs-backend-cpu"); // its kernels are the base of native's
      const node = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ /* @vite-ignore */ nodeHelper())) as
        typeof import("./backend_node");
      const { version } = await node.registerNative();
      return { adapter: { vendor: "oneDNN", architecture: version, description: `oneDNN ${version}` } };
    }
    case "wasm": {
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      if (isNode) {
        const node = await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ /* @vite-ignore */ nodeHelper());
        await (node as typeof import("./backend_node")).registerThreadedWasm();
      } else if (opts.wasmPaths != null) {
        wasm.setWasmPaths(opts.wasmPaths);
      }
      return {};
    }
    case "webgl": {
      await import("@tensorflow/tfjs-backend-webgl");
      return {};
    }
    case "webgpu": {
      let adapter: GPUAdapter | null = null;
      if (isNode) {
        const node = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ /* @vite-ignore */ nodeHelper())) as
          typeof import("./backend_node");
        adapter = (await node.installDawn())?.adapter ?? null;
      } else if (typeof navigator !== "undefined" && "gpu" in navigator) {
        adapter = await navigator.gpu.requestAdapter();
      }
      if (adapter == null) throw new Error("no WebGPU adapter");
      // Older browsers only have the (since removed) requestAdapterInfo().
      const legacy = adapter as unknown as { requestAdapterInfo?: () => Promise<GPUAdapterInfo> };
      const info = adapter.info ?? (await legacy.requestAdapterInfo?.()) ?? { vendor: "", architecture: "", description: "" };
      const summary = { vendor: info.vendor, architecture: info.architecture, description: info.description };
      const fallback = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
      const softwareOnly = fallback || SOFTWARE.test(Object.values(summary).join(" "));
      // Only load the backend package if it will be used: it registers itself as the preferred backend.
      if (!softwareOnly || explicit) await import("@tensorflow/tfjs-backend-webgpu");
      return { adapter: summary, softwareOnly };
    }
  }
}

// A variable specifier keeps bundlers from following this Node-only module into browser bundles.
function nodeHelper(): string {
  return "./backend_node";
}

function webglRenderer(): AdapterSummary | undefined {
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  if (gl == null) return undefined;
  const ext = gl.getExtension("WEBGL_debug_renderer_info");
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  const vendor = String(gl.getParameter(ext ? ext.UNMASKED_VENDOR_WEBGL : gl.VENDOR));
  return { vendor, architecture: "", description: renderer };
}

async function tryStart(name: BackendName, opts: InitOptions, explicit: boolean): Promise<{ info?: BackendInfo; reason?: string }> {
  try {
    const found = await load(name, opts, explicit);
    if (found.softwareOnly && !explicit) {
      return { reason: `${name}: software adapter (${found.adapter?.description || found.adapter?.architecture})` };
    }
    if (!(await tf.setBackend(name))) return { reason: `${name}: failed to initialise` };
    await tf.ready();
    let adapter = found.adapter;
    if (name === "webgl") {
      adapter = webglRenderer();
      if (!explicit && adapter != null && SOFTWARE.test(adapter.description)) {
        return { reason: `webgl: software renderer (${adapter.description})` };
      }
    }
    patchBackendKernels(name);
    registerGradients(); // in case something re-registered tfjs-core's originals since import
    return { info: { backend: name, adapter } };
  } catch (err) {
    return { reason: `${name}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

const said = new Set<string>();
function sayOnce(line: string): void {
  if (said.has(line)) return;
  said.add(line);
  console.warn(line);
}

/**
 * Starts the preferred backend, else the best available one, and patches it for training.
 * Under Node, webgl is skipped (there is no WebGL there).
 */
export async function initBackend(preferred?: BackendName, opts: InitOptions = {}): Promise<BackendInfo> {
  const order = ORDER.filter((b) => (isNode ? b !== "webgl" : b !== "native"));
  const candidates = preferred == null ? order : [preferred, ...order.filter((b) => b !== preferred)];
  const reasons: string[] = [];
  let nativeReason: string | undefined;
  for (const name of candidates) {
    const { info, reason } = await tryStart(name, opts, name === preferred);
    if (info != null) {
      if (nativeReason) sayOnce(`zoetrope: using ${name}, not the native CPU backend: ${nativeReason.replace(/^native: /, "")}`);
      return reasons.length > 0 ? { ...info, fallbackReason: reasons.join("; ") } : info;
    }
    if (reason != null) reasons.push(reason);
    if (name === "native") nativeReason = reason;
  }
  throw new Error(`no TF.js backend could start: ${reasons.join("; ")}`);
}
