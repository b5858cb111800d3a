// The `native` backend for Node: the cpu backend's tensors (plain typed arrays in this process) and kernels, with
// the kernels that dominate a GAN step (convolutions and products) replaced by oneDNN's (./kernels.ts). Node-only:
// initBackend reaches it through backend_node.ts, so browser bundles never see koffi.
//
// Threads: oneDNN runs on OpenMP, which uses every core by default; set OMP_NUM_THREADS before the process starts
// to change that. The cpu kernels it inherits (element-wise ops, reductions) run on the main thread.
import * as tf from "@tensorflow/tfjs-core";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { loadDnnl } from "./dnnl";
import { nativeKernels } from "./kernels";
import { NATIVE } from "./names";

export { NATIVE };

/** Where the library comes from, for the one line said when it is missing. */
export const INSTALL_HINT = "apt-get install libdnnl2";

/** The cpu backend's storage; only its first-use banner (which recommends tfjs-node) is silenced. */
class NativeBackend extends MathBackendCPU {
  constructor() {
    super();
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }
}

let registered: { version: string } | null = null;

/**
 * Registers the native backend (once) after loading oneDNN; throws, saying how to install it, when
 * libdnnl.so.2 cannot be loaded. Returns oneDNN's version.
 */
export function registerNativeBackend(): { version: string } {
  if (registered) return registered;
  let version: string;
  try {
    version = loadDnnl().version;
  } catch (err) {
    const why = (err instanceof Error ? err.message.split("\n")[0] : String(err)).replace(/^Failed to load shared library: /, "");
    throw new Error(`oneDNN could not be loaded (${why}); to install it: ${INSTALL_HINT}`);
  }
  // The cpu kernels, re-registered under our name, then ours over the heavy ones.
  for (const k of tf.getKernelsForBackend("cpu")) {
    if (tf.getKernel(k.kernelName, NATIVE) == null) tf.registerKernel({ ...k, backendName: NATIVE });
  }
  for (const k of nativeKernels()) {
    if (tf.getKernel(k.kernelName, NATIVE) != null) tf.unregisterKernel(k.kernelName, NATIVE);
    tf.registerKernel(k);
  }
  // Priority 0: never picked by TF.js on its own; initBackend chooses it by name.
  tf.registerBackend(NATIVE, () => new NativeBackend(), 0);
  registered = { version };
  return registered;
}
