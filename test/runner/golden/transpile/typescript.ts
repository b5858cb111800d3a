/* eslint-disable */
// @ts-nocheck
export {}; // a module: its names stay out of the project's global scope
import type { Tensor } from "@tensorflow/tfjs-core";
interface Config {
  frames: number;
  size?: number;
}
type Shape = [number, number, number, number, number]; // [B, T, H, W, C]
enum Phase { Warmup, Train }
const config: Config = { frames: 16 } satisfies Config;
const shape = [16, config.frames, 32, 32, 1] as Shape;
function pick<T extends object, K extends keyof T>(obj: T, key: K): T[K] {
  return obj[key]!;
}
class Sampler {
  private count = 0;
  constructor(public readonly seed: number, private tensor?: Tensor) {}
  next(): number {
    return this.count++ + this.seed;
  }
}
declare const fromElsewhere: number;
const phase: Phase = Phase.Train;
pick(config, "frames") * fromElsewhere;
