// Server-side downsampling for a chart's first paint: min and max of each bucket keep every spike visible
// (a GAN loss's spikes are the interesting part, which averaging or plain striding would hide).
import { gather, type Columns } from "./columns";

/**
 * At most `maxPoints` points, in step order. Buckets hold equal numbers of points; each contributes its minimum
 * and maximum, and — when the series has any NaN — its first NaN too, so a divergence is never smoothed away.
 */
export function downsample(c: Columns, maxPoints: number): Columns {
  const n = c.steps.length;
  if (n <= maxPoints) return c;
  let hasNaN = false;
  for (let i = 0; i < n && !hasNaN; i++) hasNaN = c.values[i] !== c.values[i];
  const perBucket = hasNaN ? 3 : 2;
  const buckets = Math.max(1, Math.floor(maxPoints / perBucket));
  const picked: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let lo = -1;
    let hi = -1;
    let nan = -1;
    for (let i = start; i < end; i++) {
      const v = c.values[i];
      if (v !== v) {
        if (nan < 0) nan = i;
      } else {
        if (lo < 0 || v < c.values[lo]) lo = i;
        if (hi < 0 || v > c.values[hi]) hi = i;
      }
    }
    // Emit in index order so steps stay sorted; a bucket of only NaNs yields its first one.
    const chosen = [lo, hi, nan].filter((i) => i >= 0).sort((a, b) => a - b);
    for (let k = 0; k < chosen.length; k++) if (k === 0 || chosen[k] !== chosen[k - 1]) picked.push(chosen[k]);
  }
  return gather(c, picked);
}
