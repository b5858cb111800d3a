// Fully connected layer: y = x W (+ b).
import "../ops";
import * as tf from "@tensorflow/tfjs-core";
import { Init, ParamStore, zeros } from "./params";
import { Weight } from "./spectral-norm";

export interface LayerOptions {
  /** Omit when a batch norm follows: BN removes any constant shift, so such a bias would get no gradient. */
  bias?: boolean;
  init?: Init;
  spectralNorm?: boolean;
}

export const dcganInit: Init = { kind: "normal", std: 0.02 }; // Radford et al. 2016: N(0, 0.02) everywhere

export class Dense {
  readonly w: Weight; // [in, out]
  readonly b?: tf.Variable; // [out]

  constructor(store: ParamStore, name: string, readonly inDim: number, readonly outDim: number, opts: LayerOptions = {}) {
    const s = store.scope(name);
    this.w = new Weight(s, "w", [inDim, outDim], opts.init ?? dcganInit, opts.spectralNorm ?? false);
    if (opts.bias ?? true) this.b = s.variable("b", [outDim], zeros);
  }

  apply(x: tf.Tensor2D, training = false): tf.Tensor2D {
    const y: tf.Tensor2D = tf.matMul(x, this.w.read(training) as tf.Tensor2D); // [N, out]
    return this.b ? tf.add(y, this.b) : y;
  }
}
