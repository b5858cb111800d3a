// Data and media throughput on the cpu backend:
//   npx tsx bench/data.ts
// Moving MNIST batches/s at 16×20×64×64 (real digits, tensor made and disposed), bouncing shapes the same, and GIF
// encode time for 16 frames of 64×64, gray and colour.
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { BouncingShapes } from "../lib/gan/data/bouncing-shapes";
import { loadDigits } from "../lib/gan/data/mnist-load";
import { MovingMnist } from "../lib/gan/data/moving-mnist";
import { videoToFrames } from "../lib/gan/video/frames";
import { encodeGif, videoToGif } from "../lib/gan/video/gif";

function rate(label: string, seconds: number, step: () => void): void {
  for (let i = 0; i < 3; i++) step(); // warm-up (JIT)
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    step();
    n++;
  }
  const ms = (performance.now() - t0) / n;
  console.log(`${label}: ${(1000 / ms).toFixed(1)} batches/s (${ms.toFixed(2)} ms/batch)`);
}

async function timeMs(label: string, runs: number, f: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 3; i++) await f();
  const t0 = performance.now();
  let bytes = 0;
  for (let i = 0; i < runs; i++) bytes = ((await f()) as Uint8Array).length;
  console.log(`${label}: ${((performance.now() - t0) / runs).toFixed(2)} ms (${bytes} bytes)`);
}

async function main(): Promise<void> {
  await tf.setBackend("cpu");
  const t0 = performance.now();
  const digits = await loadDigits();
  console.log(`load digit asset: ${(performance.now() - t0).toFixed(0)} ms (${digits.count} digits)`);

  const mnist = new MovingMnist(digits, {}, 0);
  rate("moving-mnist 16×20×64×64×1", 3, () => mnist.nextBatch(16).dispose());
  const shapes = new BouncingShapes({}, 0);
  rate("bouncing-shapes 16×20×64×64×3", 3, () => shapes.nextBatch(16).dispose());

  // One video of each: [16, 64, 64, C] (the datasets make 20 frames; keep the first 16).
  const first16 = (batch: tf.Tensor5D, c: number) =>
    tf.tidy(() => tf.reshape(tf.slice(batch, [0, 0, 0, 0, 0], [1, 16, 64, 64, c]), [16, 64, 64, c]) as tf.Tensor4D);
  const [grayBatch, colourBatch] = [mnist.nextBatch(1), shapes.nextBatch(1)];
  const gray16 = first16(grayBatch, 1);
  const colour = first16(colourBatch, 3);
  // End to end (tensor read back, converted, encoded), then the encoder alone on ready RGBA frames.
  await timeMs("GIF 16 frames 64×64 gray, from tensor", 50, () => videoToGif(gray16));
  await timeMs("GIF 16 frames 64×64 colour, from tensor", 50, () => videoToGif(colour));
  const [grayFrames, colourFrames] = [await videoToFrames(gray16), await videoToFrames(colour)];
  await timeMs("GIF 16 frames 64×64 gray, encode only", 50, async () => encodeGif(grayFrames, { gray: true }));
  await timeMs("GIF 16 frames 64×64 colour, encode only", 50, async () => encodeGif(colourFrames));
  tf.dispose([grayBatch, colourBatch, gray16, colour]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
