// Node-only half of initBackend: WebGPU through Dawn (the `webgpu` package), the native oneDNN backend, and
// tfjs-backend-wasm's threaded build (wasm_node.ts). Loaded only under Node (see backend.ts), so browser bundles
// never see these imports.
import { existsSync, readdirSync } from "node:fs";

/** Chromium's SwiftShader Vulkan driver (Debian's chromium package ships it). */
export const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";

/** With no system Vulkan driver at all, lets Dawn use Chromium's SwiftShader (must happen before Dawn loads). */
export function defaultVulkanDriver(): void {
  const icdDir = "/usr/share/vulkan/icd.d";
  const hasDriver = existsSync(icdDir) && readdirSync(icdDir).some((f) => f.endsWith(".json"));
  if (process.env.VK_ICD_FILENAMES == null && !hasDriver && existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  }
}

export interface NodeGpu {
  gpu: GPU;
  adapter: GPUAdapter;
}

/**
 * Installs Dawn's navigator.gpu and the WebGPU globals, once per process; null when Dawn finds no adapter.
 * Once: TF.js keeps the device of the first adapter, and a second Dawn instance would leave the first one
 * unreferenced: when the garbage collector frees it, Dawn crashes in whatever it was running (a mutex assertion
 * or a segmentation fault, the next time a buffer is read).
 */
export function installDawn(): Promise<NodeGpu | null> {
  dawn ??= startDawn();
  return dawn;
}
let dawn: Promise<NodeGpu | null> | undefined;

async function startDawn(): Promise<NodeGpu | null> {
  const { create, globals } = await import("webgpu");
  const gpu = create([]);
  const adapter = await gpu.requestAdapter();
  if (adapter == null) return null;
  Object.assign(globalThis, globals);
  // tfjs-backend-webgpu reads navigator.gpu when it is imported, so this must run first.
  Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
  return { gpu, adapter };
}

/** Makes the wasm backend start on every core (wasm_node.ts); imported here so other backends never load it. */
export async function registerThreadedWasm(): Promise<void> {
  const { registerThreadedWasm: register } = await import("./wasm_node");
  register();
}

/** Registers the oneDNN backend; throws with the install hint when libdnnl.so.2 is missing. */
export async function registerNative(): Promise<{ version: string }> {
  // Imported here so that the webgpu and wasm paths never load koffi.
  const { registerNativeBackend } = await import("./native/backend");
  return registerNativeBackend();
}
