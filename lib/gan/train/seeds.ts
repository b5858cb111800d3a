// Per-step seeds. Every random draw in a step (real batch, latents, dropout-like noise) takes a seed that is a pure
// function of (run seed, step, role), so a run resumed at step k replays exactly what an uninterrupted run does.

/** splitmix32-style finaliser: nearby inputs (step 9, 10, 11) give unrelated outputs. */
function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** What a seed is for inside one step; each critic iteration gets its own. */
export type SeedRole = { kind: "data"; critic: number } | { kind: "d"; critic: number } | { kind: "g" } | { kind: "sample" };

const ROLE_BASE = { data: 0x1000, d: 0x2000, g: 0x3000, sample: 0x4000 } as const;

/** A non-negative 31-bit seed (TF.js random ops and the data RNG both accept it) for one role at one step. */
export function stepSeed(runSeed: number, step: number, role: SeedRole): number {
  const salt = ROLE_BASE[role.kind] + ("critic" in role ? role.critic : 0);
  return mix32(mix32(mix32(Math.trunc(runSeed) >>> 0) ^ step) ^ salt) >>> 1;
}
