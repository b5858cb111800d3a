// GRU cell with PyTorch's equations and initialisation (torch.nn.GRUCell), as used by MoCoGAN's motion
// generator:  r = σ(x Wxr + bxr + h Whr + bhr),  z = σ(x Wxz + bxz + h Whz + bhz),
//             n = tanh(x Wxn + bxn + r ⊙ (h Whn + bhn)),  h' = (1 − z) ⊙ n + z ⊙ h.
import "../ops";
import * as tf from "@tensorflow/tfjs-core";
import { ParamStore } from "./params";

export class GruCell {
  readonly wx: tf.Variable; // [in, 3H], gates ordered r | z | n
  readonly wh: tf.Variable; // [H, 3H]
  readonly bx: tf.Variable; // [3H]
  readonly bh: tf.Variable; // [3H]

  constructor(store: ParamStore, name: string, readonly inDim: number, readonly hidden: number) {
    const s = store.scope(name);
    const init = { kind: "uniform" as const, scale: 1 / Math.sqrt(hidden) }; // PyTorch's U(−1/√H, 1/√H)
    this.wx = s.variable("wx", [inDim, 3 * hidden], init);
    this.wh = s.variable("wh", [hidden, 3 * hidden], init);
    this.bx = s.variable("bx", [3 * hidden], init);
    this.bh = s.variable("bh", [3 * hidden], init);
  }

  /** One step: x [N, in], h [N, H] → h' [N, H]. */
  step(x: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
    const [xr, xz, xn] = tf.split(tf.add(tf.matMul(x, this.wx), this.bx), 3, 1); // 3 × [N, H]
    const [hr, hz, hn] = tf.split(tf.add(tf.matMul(h, this.wh), this.bh), 3, 1);
    const r = tf.sigmoid(tf.add(xr, hr));
    const z = tf.sigmoid(tf.add(xz, hz));
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    return tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h)) as tf.Tensor2D;
  }

  /** Unrolls over inputs [N, T, in] from h0 [N, H]; returns the hidden states h1..hT as [N, T, H]. */
  unroll(xs: tf.Tensor3D, h0: tf.Tensor2D, steps = xs.shape[1]): tf.Tensor3D {
    if (steps > xs.shape[1]) throw new Error(`GRU asked for ${steps} steps but got ${xs.shape[1]} inputs`);
    const [n, , d] = xs.shape;
    const states: tf.Tensor2D[] = [];
    let h = h0;
    for (let t = 0; t < steps; t++) {
      const xt = tf.reshape(tf.slice(xs, [0, t, 0], [n, 1, d]), [n, d]) as tf.Tensor2D;
      h = this.step(xt, h);
      states.push(h);
    }
    return tf.stack(states, 1) as tf.Tensor3D; // [N, T, H]
  }
}
