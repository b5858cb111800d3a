// TensorBoard's scalar smoothing: an exponential moving average debiased like Adam's moments, so the first
// points are not pulled towards zero. Non-finite values (null = NaN in our JSON) pass through untouched and do
// not enter the average, so a diverged step shows as a gap in the smoothed line too instead of poisoning it.

/** The weight every metrics view starts at, as TensorBoard's does. */
export const DEFAULT_SMOOTHING = 0.6;
/** The slider's top: at 1 the average would never move. */
export const MAX_SMOOTHING = 0.99;

/** Smooths `values` with weight `w` in [0, 1); 0 returns the values unchanged. */
export function debiasedEma(values: readonly (number | null)[], w: number): (number | null)[] {
  if (!(w > 0)) return values.slice();
  const weight = Math.min(w, 0.999);
  // Constant series stay exact (TensorBoard does the same: debiasing would add float noise).
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length > 0 && finite.every((v) => v === finite[0])) return values.slice();
  let last = 0;
  let count = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return v;
    last = last * weight + (1 - weight) * v;
    count += 1;
    return last / (1 - Math.pow(weight, count));
  });
}
