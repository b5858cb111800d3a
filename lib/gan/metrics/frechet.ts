// The Fréchet distance between two Gaussians fitted to feature sets (Heusel et al. 2017, FID; Unterthiner et al.
// 2018, FVD):  d² = ‖μ₁ − μ₂‖² + Tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½).
// Everything is float64 on the host. The matrix square roots come from symmetric eigen-decompositions (TF.js has no
// sqrtm), which is also the stable route: Σ₁^½ Σ₂ Σ₁^½ is symmetric positive semi-definite, unlike the Σ₁Σ₂ that
// scipy.linalg.sqrtm is usually handed, so its square root's trace is just Σ √λᵢ over its eigenvalues.
import { symmetricEigen } from "../layers/symeig";

/** A Gaussian fitted to n feature vectors of dimension d. */
export interface Gaussian {
  d: number;
  n: number;
  mean: Float64Array; // [d]
  cov: Float64Array; // [d, d] row-major, unbiased (divides by n − 1)
}

/** Mean and covariance of `features` [n, d] row-major, accumulated in float64 (two passes: centre, then products). */
export function fitGaussian(features: ArrayLike<number>, n: number, d: number): Gaussian {
  if (features.length !== n * d) throw new Error(`fitGaussian: ${features.length} values for [${n}, ${d}]`);
  if (n < 2) throw new Error(`fitGaussian: need at least 2 samples, got ${n}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += features[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = features[i * d + j] - mean[j];
    // Upper triangle only; mirrored below, which also keeps cov exactly symmetric.
    for (let a = 0; a < d; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      const off = a * d;
      for (let b = a; b < d; b++) cov[off + b] += ra * row[b];
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = cov[a * d + b] / (n - 1);
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
  }
  return { d, n, mean, cov };
}

/** How the eigenvalues that were clamped looked: rounding leaves PSD matrices with tiny negative ones. */
export interface FrechetDetail {
  distance: number;
  meanTerm: number; // ‖μ₁ − μ₂‖²
  traceTerm: number; // Tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½)
  /** Most negative eigenvalue met (of Σ₁, then of Σ₁^½ Σ₂ Σ₁^½) relative to the largest one; ≤ 0. */
  worstNegative: number;
}

/**
 * d² between two Gaussians. Negative eigenvalues are set to 0 before taking square roots: both matrices are PSD in
 * exact arithmetic, so a negative eigenvalue is rounding (|λ| ≈ 1e-16·λmax, or larger when n ≤ d makes Σ singular)
 * and 0 is the nearest PSD value. The most negative one seen is reported in `worstNegative` so that a caller can
 * tell rounding (~1e-12 or smaller) from a genuinely broken input. A result a hair below zero is returned as 0.
 */
export function frechetDetail(g1: Gaussian, g2: Gaussian): FrechetDetail {
  if (g1.d !== g2.d) throw new Error(`frechetDistance: dimensions differ (${g1.d} vs ${g2.d})`);
  const d = g1.d;
  let meanTerm = 0;
  for (let j = 0; j < d; j++) meanTerm += (g1.mean[j] - g2.mean[j]) ** 2;
  let trace = 0;
  for (let j = 0; j < d; j++) trace += g1.cov[j * d + j] + g2.cov[j * d + j];

  // Σ₁^½ = V diag(√λ) Vᵀ.
  const e1 = symmetricEigen(g1.cov, d);
  let worstNegative = relativeNegative(e1.values);
  const root1 = fromEigen(e1.vectors, e1.values.map((l) => Math.sqrt(Math.max(l, 0))), d);
  // M = Σ₁^½ Σ₂ Σ₁^½, symmetrised against rounding before its own decomposition.
  const m = matMul(matMul(root1, g2.cov, d), root1, d);
  symmetrise(m, d);
  const em = symmetricEigen(m, d);
  worstNegative = Math.min(worstNegative, relativeNegative(em.values));
  let traceRoot = 0;
  for (const l of em.values) traceRoot += Math.sqrt(Math.max(l, 0));

  const traceTerm = trace - 2 * traceRoot;
  return { distance: Math.max(0, meanTerm + traceTerm), meanTerm, traceTerm, worstNegative };
}

export function frechetDistance(g1: Gaussian, g2: Gaussian): number {
  return frechetDetail(g1, g2).distance;
}

/** Fréchet distance between the Gaussians of two feature sets [n1, d] and [n2, d]. */
export function frechetOfFeatures(a: ArrayLike<number>, n1: number, b: ArrayLike<number>, n2: number, d: number): number {
  return frechetDistance(fitGaussian(a, n1, d), fitGaussian(b, n2, d));
}

function relativeNegative(values: Float64Array): number {
  let max = 0;
  let min = 0;
  for (const l of values) [max, min] = [Math.max(max, l), Math.min(min, l)];
  return max > 0 ? min / max : min;
}

/** V diag(s) Vᵀ, where `vectors` holds eigenvectors as rows (symeig's layout). */
function fromEigen(vectors: Float64Array, s: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const sk = s[k];
    if (sk === 0) continue;
    const v = k * d;
    for (let i = 0; i < d; i++) {
      const f = sk * vectors[v + i];
      if (f === 0) continue;
      const row = i * d;
      for (let j = 0; j < d; j++) out[row + j] += f * vectors[v + j];
    }
  }
  return out;
}

/** a·b for d×d row-major matrices (i-k-j order: the inner loop walks rows of b and out contiguously). */
function matMul(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const row = i * d;
    for (let k = 0; k < d; k++) {
      const f = a[row + k];
      if (f === 0) continue;
      const bk = k * d;
      for (let j = 0; j < d; j++) out[row + j] += f * b[bk + j];
    }
  }
  return out;
}

function symmetrise(m: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const v = (m[i * d + j] + m[j * d + i]) / 2;
      m[i * d + j] = v;
      m[j * d + i] = v;
    }
  }
}
