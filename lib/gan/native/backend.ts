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
import { pool } from "./pool";

export { NATIVE };

/** Where the library comes from, for the one line said when it is missing. */
export const INSTALL_HINT = "apt-get install libdnnl2";

type Values = tf.backend_util.BackendValues;

/**
 * The cpu backend's storage, with the kernels' output buffers recycled (./pool.ts): every entry over a pooled buffer
 * is counted, and reads hand out copies, so a buffer is reused only when no tensor or caller can see it. Its
 * first-use banner (which recommends tfjs-node) is silenced.
 */
class NativeBackend extends MathBackendCPU {
  constructor() {
    super();
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  override write(values: Values, shape: number[], dtype: tf.DataType): tf.DataId {
    pool.attach(values);
    return super.write(values, shape, dtype);
  }

  override move(dataId: tf.DataId, values: Values, shape: number[], dtype: tf.DataType, refCount: number): void {
    if (this.data.has(dataId)) pool.detach(this.data.get(dataId).values);
    pool.attach(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override disposeData(dataId: tf.DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const released = super.disposeData(dataId, force);
    if (values !== undefined && !this.data.has(dataId)) pool.detach(values);
    return released;
  }

  override readSync(dataId: tf.DataId): Values {
    const values = super.readSync(dataId);
    return pool.owns(values) ? values.slice() : values;
  }

  override async read(dataId: tf.DataId): Promise<Values> {
    return this.readSync(dataId);
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
