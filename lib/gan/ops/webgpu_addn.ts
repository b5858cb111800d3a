// AddN for webgpu with any number of inputs. TF.js 4.22's kernel binds every input as a storage buffer of one
// shader, and a device gives a shader 8 of them unless asked for more; with more inputs than that the pipeline is
// invalid, WebGPU drops the whole command buffer it was in, and the sum (and everything queued with it) reads as
// zeros. A gradient norm over a model's 10 or 24 weight tensors (train/optimizers.ts) was one such call. Here the
// inputs are added in groups that fit, then the groups' sums, as TF.js's webgl AddN does with its texture limit.
import * as tf from "@tensorflow/tfjs-core";

interface WebgpuDevice {
  device: { limits: { maxStorageBuffersPerShaderStage: number } };
  disposeData(dataId: tf.DataId): boolean;
}

export function webgpuAddNKernel(): tf.KernelConfig[] {
  const original = tf.getKernel(tf.AddN, "webgpu");
  if (original == null) return [];
  const kernelFunc: tf.KernelFunc = (args) => {
    const backend = args.backend as unknown as WebgpuDevice;
    const most = backend.device.limits.maxStorageBuffersPerShaderStage - 1; // one buffer is the output
    const add = (inputs: tf.TensorInfo[]): tf.TensorInfo => {
      if (inputs.length <= most) return original.kernelFunc({ ...args, inputs: inputs as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo;
      const sums: tf.TensorInfo[] = [];
      for (let i = 0; i < inputs.length; i += most) sums.push(add(inputs.slice(i, i + most)));
      const total = add(sums);
      for (const sum of sums) backend.disposeData(sum.dataId);
      return total;
    };
    return add(args.inputs as unknown as tf.TensorInfo[]);
  };
  return [{ ...original, kernelFunc }];
}
