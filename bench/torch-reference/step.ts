// One D+G Adam step of the reference workload, as torch_video_gan_step.py's step() does it: D on the real batch and
// on a detached fake, then G's non-saturating loss through the updated D. TF.js cannot keep the generator's tape
// across two gradient computations, so G runs forward twice per step where PyTorch runs it once (and PyTorch
// instead computes D's parameter gradients a second time during lossG.backward()). Both are the idiomatic step.
import * as tf from "@tensorflow/tfjs-core";
import { FusedAdam } from "../../lib/gan/train/adam";
import { B, H, T, W, Z, discriminator, generatorA, generatorB, type Net } from "./models";

/** BCEWithLogitsLoss(mean): max(x,0) − x·y + log(1 + e^−|x|). */
function bceWithLogits(logits: tf.Tensor, target: number): tf.Scalar {
  return tf.mean(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, target)), tf.log1p(tf.exp(tf.neg(tf.abs(logits))))));
}

export interface ReferenceWorkload {
  variant: "A" | "B";
  params: { G: number; D: number };
  step(): Promise<{ lossD: number; lossG: number }>;
  dispose(): void;
}

export function referenceWorkload(variant: "A" | "B", seed = 0): ReferenceWorkload {
  const G: Net = variant === "A" ? generatorA(seed) : generatorB(seed);
  const D = discriminator(seed + 1);
  const adam = () => new FusedAdam(2e-4, 0.5, 0.999); // the project's Adam: fused where the backend can
  const optG = adam();
  const optD = adam();
  const real = tf.tidy(() => tf.sub(tf.mul(tf.randomUniform([B, T, H, W, 1], 0, 1, "float32", seed), 2), 1));
  let stepIndex = 0;

  async function step() {
    const z = tf.randomNormal([B, Z], 0, 1, "float32", seed + ++stepIndex);
    const fake = tf.tidy(() => G.forward(z)); // outside D's gradient: fake.detach()
    const lossD = optD.minimize(() => tf.add(bceWithLogits(D.forward(real), 1), bceWithLogits(D.forward(fake), 0)), true, D.params.vars)!;
    const lossG = optG.minimize(() => bceWithLogits(D.forward(G.forward(z)), 1), true, G.params.vars)!;
    const [d, g] = await Promise.all([lossD.data(), lossG.data()]);
    tf.dispose([z, fake, lossD, lossG]);
    return { lossD: d[0], lossG: g[0] };
  }

  return {
    variant,
    params: { G: G.params.count(), D: D.params.count() },
    step,
    dispose() {
      tf.dispose([real, ...G.params.vars, ...G.params.buffers, ...D.params.vars, ...D.params.buffers]);
      optG.dispose();
      optD.dispose();
    },
  };
}
