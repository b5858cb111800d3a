// Turns raw case runs into verdicts: each backend against finite differences and against the cpu backend.
import type { CaseRun } from "./case";

export const TOLERANCE = 1e-2; // relative; float32 forward/backward on tiny tensors lands well below this

export interface Verdict {
  ok: boolean;
  /** Largest relative error seen: forward and gradients vs cpu, directional finite difference vs gradient. */
  maxErr: number;
  note?: string;
}

function relMaxDiff(a: number[], ref: number[]): number {
  if (a.length !== ref.length) return Infinity;
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - ref[i]));
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return Number.isNaN(diff) ? Infinity : diff / scale;
}

/** |fd − ⟨g, v⟩| / |g|: the error of the gradient's projection on v, relative to the gradient's size. */
function fdErr(run: CaseRun): number {
  let worst = 0;
  for (const { fd, analytic, gradNorm } of Object.values(run.fd)) {
    const e = Math.abs(fd - analytic) / Math.max(gradNorm, 1e-6);
    worst = Math.max(worst, Number.isFinite(e) ? e : Infinity);
  }
  return worst;
}

export function judge(run: CaseRun | undefined, ref: CaseRun | undefined): Verdict {
  if (run == null) return { ok: false, maxErr: Infinity, note: "not run" };
  if (run.error) return { ok: false, maxErr: Infinity, note: run.error };
  let maxErr = fdErr(run);
  const notes: string[] = [];
  if (maxErr > TOLERANCE) notes.push(`finite difference ${maxErr.toExponential(1)}`);
  if (ref != null && ref !== run && !ref.error) {
    const fwd = relMaxDiff(run.forward, ref.forward);
    if (fwd > TOLERANCE) notes.push(`forward vs cpu ${fwd.toExponential(1)}`);
    maxErr = Math.max(maxErr, fwd);
    for (const [name, g] of Object.entries(ref.grads)) {
      const e = relMaxDiff(run.grads[name] ?? [], g);
      if (e > TOLERANCE) notes.push(`d/d${name} vs cpu ${e.toExponential(1)}`);
      maxErr = Math.max(maxErr, e);
    }
  }
  if (run.leakedTensors !== 0) notes.push(`${run.leakedTensors} tensors leaked`);
  return { ok: notes.length === 0, maxErr, note: notes.join("; ") || undefined };
}
