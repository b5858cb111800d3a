// Mean's gradient without a tensor of ones.
//
// tfjs-core's is dy · ones(x.shape) / n: a full-size tensor of ones (made outside any kernel, so no buffer pool
// serves it), a product and a quotient, for every mean taken over a batch, twice per batch norm. Spreading dy / n
// over x's shape with broadcastTo makes one full-size tensor instead of three. broadcastTo runs Tile, whose own
// gradient TF.js has only up to rank 4; above that tfjs-core's formula stays, so every mean can still be
// differentiated twice (R1, WGAN-GP).
import * as tf from "@tensorflow/tfjs-core";

const meanGrad: tf.GradConfig = {
  kernelName: tf.Mean,
  inputsToSave: ["x"], // for its shape
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const axes = tf.util.parseAxisParam((attrs as unknown as tf.MeanAttrs).axis, x.shape);
    const n = axes.reduce((p, a) => p * x.shape[a], 1);
    const keptDims = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    return {
      x: () => {
        const share = tf.div(tf.reshape(dy as tf.Tensor, keptDims), n); // each element's part of the mean
        return x.rank <= 4 ? tf.broadcastTo(share, x.shape) : tf.mul(share, tf.ones(x.shape));
      },
    };
  },
};

export function registerMeanGrad(): void {
  tf.registerGradient(meanGrad);
}
