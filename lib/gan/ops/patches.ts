// Per-backend kernel fixes. Kernels live in per-backend registries that fill when a backend package is
// imported, so fixes are applied to each backend by name once its package is loaded (initBackend does it;
// call patchBackendKernels yourself if you import a backend package directly).
import * as tf from "@tensorflow/tfjs-core";
import { cpuResizeNearestNeighborGrad } from "./cpu_resize_grad";
import { gpuPadKernels } from "./gpu_pad";
import { gpuSelectKernels } from "./gpu_select";
import { wasmConvKernels } from "./wasm_kernels";
import { wasmLayoutKernels } from "./wasm_layout";
import { wasmMatMulKernels } from "./wasm_matmul";
import { wasmReduceKernels } from "./wasm_reduce";
import { wasmUnsortedSegmentSum } from "./wasm_segment_sum";
import { webgpuAddNKernel } from "./webgpu_addn";
import { webgpuBroadcastKernels } from "./webgpu_broadcast";
import { webgpuConv2dKernels } from "./webgpu_conv2d";
import { webgpuConv3dKernels } from "./webgpu_conv3d";

const fixes: Record<string, () => tf.KernelConfig[]> = {
  cpu: () => [cpuResizeNearestNeighborGrad],
  native: () => [{ ...cpuResizeNearestNeighborGrad, backendName: "native" }], // the cpu kernels it inherits
  wasm: () => [...wasmMatMulKernels(), ...wasmReduceKernels(), ...wasmLayoutKernels(), ...wasmConvKernels, wasmUnsortedSegmentSum],
  webgl: () => [...gpuSelectKernels("webgl"), ...gpuPadKernels("webgl")],
  webgpu: () => [...webgpuAddNKernel(), ...webgpuBroadcastKernels(), ...gpuSelectKernels("webgpu"), ...gpuPadKernels("webgpu"), ...webgpuConv3dKernels(), ...webgpuConv2dKernels()],
};

// Global, like tfjs's own registries, so a second copy of this module does not patch twice.
const patched: Set<string> = ((globalThis as Record<string, unknown>).__zoetropePatchedBackends ??= new Set<string>()) as Set<string>;

// The backends' own kernels that ours replaced, for benchmarks that compare the two (bench/kernels.ts).
const replaced: Map<string, tf.KernelConfig> = ((globalThis as Record<string, unknown>).__zoetropeReplacedKernels ??= new Map()) as Map<string, tf.KernelConfig>;

function replaceKernel(config: tf.KernelConfig): void {
  const original = tf.getKernel(config.kernelName, config.backendName);
  if (original != null) {
    if (!replaced.has(`${config.backendName}/${config.kernelName}`)) replaced.set(`${config.backendName}/${config.kernelName}`, original);
    tf.unregisterKernel(config.kernelName, config.backendName);
  }
  tf.registerKernel(config);
}

/** The backend's own kernel that ours replaced (undefined when ours was the first). */
export function replacedKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  return replaced.get(`${backendName}/${kernelName}`);
}

/** Applies our kernel fixes to one backend (idempotent). Returns false if the backend's package is not loaded. */
export function patchBackendKernels(backendName: string): boolean {
  if (patched.has(backendName)) return true;
  if (tf.getKernelsForBackend(backendName).length === 0) return false;
  for (const config of fixes[backendName]?.() ?? []) replaceKernel(config);
  patched.add(backendName);
  return true;
}

/** Patches every backend whose package is already loaded. */
export function patchLoadedBackends(): void {
  for (const name of Object.keys(fixes)) patchBackendKernels(name);
}
