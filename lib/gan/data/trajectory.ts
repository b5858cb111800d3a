// Bouncing motion shared by Moving MNIST and bouncing shapes, after the generator of Srivastava et al. 2015
// (moving_mnist.py, GetRandomTrajectory): position in the unit square, a random direction at fixed speed, one step
// before the first frame, and reflection off the walls.
import type { Rng } from "./rng";

/**
 * Writes `frames` positions (x, y in [0, 1]) into out[2·t], out[2·t+1]. `speed` is the step per frame as a fraction
 * of the free range (canvas side − object side); the original uses 0.1. When `velocity` is given, it receives the
 * velocity after frame t (the step that leads to frame t+1, walls already reflected) at [2·t], [2·t+1]; it draws
 * nothing extra from `rng`, so positions are the same with or without it.
 */
export function bounceTrajectory(
  rng: Rng,
  frames: number,
  speed: number,
  out: Float32Array = new Float32Array(2 * frames),
  velocity?: Float32Array,
): Float32Array {
  let x = rng.next();
  let y = rng.next();
  const theta = rng.next() * 2 * Math.PI;
  let vx = Math.cos(theta) * speed;
  let vy = Math.sin(theta) * speed;
  for (let t = 0; t < frames; t++) {
    x += vx;
    y += vy;
    // Clamp-and-reflect, as the original: a wall hit lands exactly on the wall and reverses that component.
    if (x <= 0) [x, vx] = [0, -vx];
    if (x >= 1) [x, vx] = [1, -vx];
    if (y <= 0) [y, vy] = [0, -vy];
    if (y >= 1) [y, vy] = [1, -vy];
    out[2 * t] = x;
    out[2 * t + 1] = y;
    if (velocity) {
      velocity[2 * t] = vx;
      velocity[2 * t + 1] = vy;
    }
  }
  return out;
}

/** Integer top-left corner for a position in [0, 1]; free = canvas − object side, so the object stays inside. */
export function toPixel(unit: number, free: number): number {
  return Math.floor(unit * free);
}
