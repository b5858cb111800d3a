// Training targets and losses of the metric networks (classifier.ts), from labelled Moving MNIST batches.
import * as tf from "@tensorflow/tfjs-core";
import type { MovingMnistLabels } from "../data/moving-mnist";
import { DIGIT_CLASSES, type ClassifierConfig } from "./classifier";

export interface ClipTargets {
  n: number;
  digits: Float32Array; // [n, 10] 1 where the class is present
  motion: Int32Array; // [n, 10, moments] direction bin of that class's digit at each moment (0 where masked)
  mask: Float32Array; // [n, 10, moments] 1 where the class is present exactly once (its direction is unambiguous)
}

/** The frame each moment reads its direction from: the middle of each of `moments` equal spans. */
export function momentFrames(frames: number, moments: number): number[] {
  return Array.from({ length: moments }, (_, s) => Math.floor(((s + 0.5) * frames) / moments));
}

/** Compass bin of a velocity: bin 0 is centred on +x (rightwards), bins go counter-clockwise in (x, y). */
export function directionBin(vx: number, vy: number, bins: number): number {
  const turn = Math.atan2(vy, vx) / (2 * Math.PI); // (-½, ½]
  return Math.round((turn + 1) * bins) % bins;
}

export function clipTargets(labels: MovingMnistLabels, n: number, config: Pick<ClassifierConfig, "moments" | "directionBins">): ClipTargets {
  const { numDigits, frames } = labels;
  const { moments, directionBins } = config;
  const at = momentFrames(frames, moments);
  const t: ClipTargets = {
    n,
    digits: new Float32Array(n * DIGIT_CLASSES),
    motion: new Int32Array(n * DIGIT_CLASSES * moments),
    mask: new Float32Array(n * DIGIT_CLASSES * moments),
  };
  const count = new Uint8Array(DIGIT_CLASSES);
  for (let b = 0; b < n; b++) {
    count.fill(0);
    for (let d = 0; d < numDigits; d++) count[labels.digits[b * numDigits + d]]++;
    for (let d = 0; d < numDigits; d++) {
      const cls = labels.digits[b * numDigits + d];
      t.digits[b * DIGIT_CLASSES + cls] = 1;
      if (count[cls] !== 1) continue;
      for (let s = 0; s < moments; s++) {
        const v = ((b * numDigits + d) * frames + at[s]) * 2;
        const i = (b * DIGIT_CLASSES + cls) * moments + s;
        t.motion[i] = directionBin(labels.velocities[v], labels.velocities[v + 1], directionBins);
        t.mask[i] = 1;
      }
    }
  }
  return t;
}

/** [n·frames, 10]: each frame's share of each digit class (every digit is in every frame: it never leaves the canvas). */
export function frameTargets(labels: MovingMnistLabels, n: number): Float32Array {
  const { numDigits, frames } = labels;
  const out = new Float32Array(n * frames * DIGIT_CLASSES);
  for (let b = 0; b < n; b++) {
    for (let d = 0; d < numDigits; d++) {
      const cls = labels.digits[b * numDigits + d];
      for (let f = 0; f < frames; f++) out[(b * frames + f) * DIGIT_CLASSES + cls] += 1 / numDigits;
    }
  }
  return out;
}

/**
 * Sigmoid cross-entropy of the digit logits, summed over the 10 classes and averaged over clips, plus the masked mean
 * softmax cross-entropy of the motion logits. Summing over classes (rather than averaging all 10·n terms) gives
 * each clip's digit question the weight of one motion question: averaged, it trained ten times slower and stalled.
 */
export function clipLoss(
  logits: { digits: tf.Tensor2D; motion: tf.Tensor4D },
  targets: { digits: tf.Tensor2D; motion: tf.Tensor3D; mask: tf.Tensor3D },
): { loss: tf.Scalar; digitLoss: tf.Scalar; motionLoss: tf.Scalar } {
  return tf.tidy(() => {
    const digitLoss = tf.mul(tf.losses.sigmoidCrossEntropy(targets.digits, logits.digits), DIGIT_CLASSES) as tf.Scalar;
    const bins = logits.motion.shape[3];
    const oneHot = tf.oneHot(targets.motion, bins); // [n, 10, moments, bins]
    const perEntry = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits.motion)), -1)); // [n, 10, moments]
    const motionLoss = tf.div(tf.sum(tf.mul(perEntry, targets.mask)), tf.maximum(tf.sum(targets.mask), 1)) as tf.Scalar;
    return { loss: tf.add(digitLoss, motionLoss) as tf.Scalar, digitLoss, motionLoss };
  });
}

/** Softmax cross-entropy against soft targets [N, 10]. */
export function frameLoss(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), -1))) as tf.Scalar);
}
