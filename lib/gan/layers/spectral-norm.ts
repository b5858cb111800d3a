// Spectral normalisation (Miyato et al. 2018, "Spectral Normalization for Generative Adversarial
// Networks"): W / σ(W), with σ(W) estimated by one power-iteration step per training forward pass.
// The iteration vector u persists across steps as a non-trainable variable, so one step per update is
// enough (W changes slowly), exactly as in the paper and in PyTorch's torch.nn.utils.spectral_norm.
import { stopGradient } from "../ops";
import * as tf from "@tensorflow/tfjs-core";
import { l2Normalize } from "./functional";
import { Init, ParamStore } from "./params";

export class SpectralNorm {
  /** Left singular vector estimate, [1, out]. Saved in checkpoints so σ stays consistent on resume. */
  readonly u: tf.Variable;

  constructor(store: ParamStore, name: string, weightShape: number[]) {
    const out = weightShape[weightShape.length - 1];
    this.u = store.variable(`${name}.u`, [1, out], { kind: "normal", std: 1 }, false);
  }

  /** W / σ(W), W viewed as [fanIn, out]. Training runs one power-iteration step and stores the new u. */
  apply(w: tf.Tensor, training: boolean): tf.Tensor {
    const out = w.shape[w.shape.length - 1];
    const w2 = tf.reshape(w, [-1, out]); // [fanIn, out]
    // u and v are constants for the gradient, as in the paper: σ's gradient is then v·uᵀ.
    const v = stopGradient(l2Normalize(tf.matMul(this.u, w2, false, true))); // [1, fanIn]
    let u: tf.Tensor = this.u;
    if (training) {
      u = stopGradient(l2Normalize(tf.matMul(v, w2))); // [1, out]
      this.u.assign(u as tf.Tensor2D);
    }
    const sigma = tf.sum(tf.mul(tf.matMul(v, w2), u)); // vᵀ W u
    return tf.div(w, sigma);
  }
}

/** A weight variable, optionally read through spectral normalisation. */
export class Weight {
  readonly variable: tf.Variable;
  readonly sn?: SpectralNorm;

  constructor(store: ParamStore, name: string, shape: number[], init: Init, spectralNorm: boolean) {
    this.variable = store.variable(name, shape, init);
    if (spectralNorm) this.sn = new SpectralNorm(store, name, shape);
  }

  read(training: boolean): tf.Tensor {
    return this.sn ? this.sn.apply(this.variable, training) : this.variable;
  }
}
