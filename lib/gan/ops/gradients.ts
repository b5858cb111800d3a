// Our gradient overrides, in one place so they can be (re)applied after anything that re-registers
// tfjs-core's originals (e.g. a stray import of @tensorflow/tfjs-core/dist/register_all_gradients).
import { registerActivationGrads } from "./activation_grads";
import { registerBatchNormGrad } from "./batchnorm_grad";
import { registerConvTransposeGrads } from "./conv_transpose_grads";
import { registerMeanGrad } from "./mean_grad";

export function registerGradients(): void {
  registerConvTransposeGrads();
  registerActivationGrads();
  registerBatchNormGrad();
  registerMeanGrad();
}
