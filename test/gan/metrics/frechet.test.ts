import { describe, expect, it } from "vitest";
import { createRng } from "@/lib/gan/data/rng";
import { fitGaussian, frechetDetail, frechetDistance, frechetOfFeatures, type Gaussian } from "@/lib/gan/metrics/frechet";

/** n×d features with correlated columns (a random linear mix of normals), from a seed. */
function features(n: number, d: number, seed: number, shift = 0): Float64Array {
  const rng = createRng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const mix = Float64Array.from({ length: d * d }, normal);
  const out = new Float64Array(n * d);
  const z = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) z[k] = normal();
    for (let j = 0; j < d; j++) {
      let v = shift;
      for (let k = 0; k < d; k++) v += mix[j * d + k] * z[k];
      out[i * d + j] = v;
    }
  }
  return out;
}

function gaussian(mean: number[], cov: number[][]): Gaussian {
  return { d: mean.length, n: 1000, mean: Float64Array.from(mean), cov: Float64Array.from(cov.flat()) };
}

/** R diag(s) Rᵀ for the rotation R by `angle` in the (0, 1) plane of a 3-D space. */
function rotated(s: number[], angle: number): number[][] {
  const [c, n] = [Math.cos(angle), Math.sin(angle)];
  const r = [
    [c, -n, 0],
    [n, c, 0],
    [0, 0, 1],
  ];
  return r.map((ri) => r.map((rj) => ri.reduce((acc, _, k) => acc + ri[k] * s[k] * rj[k], 0)));
}

const trace = (g: Gaussian) => g.cov.reduce((acc, _, i) => (i % (g.d + 1) === 0 ? acc + g.cov[i] : acc), 0);

describe("fitGaussian", () => {
  it("gives the mean and the unbiased covariance", () => {
    const g = fitGaussian([1, 2, 3, 6, 5, 10], 3, 2); // columns (1, 3, 5) and (2, 6, 10)
    expect(Array.from(g.mean)).toEqual([3, 6]);
    expect(Array.from(g.cov)).toEqual([4, 8, 8, 16]);
  });

  it("refuses a mismatched shape or a single sample", () => {
    expect(() => fitGaussian([1, 2, 3], 2, 2)).toThrow(/values/);
    expect(() => fitGaussian([1, 2], 1, 2)).toThrow(/at least 2/);
  });
});

describe("frechetDistance", () => {
  it("is 0 for identical feature sets (within 1e-9 of the trace)", () => {
    const f = features(400, 64, 1);
    const g = fitGaussian(f, 400, 64);
    const detail = frechetDetail(g, g);
    expect(detail.distance).toBeLessThan(1e-9 * trace(g));
    expect(detail.worstNegative).toBeLessThanOrEqual(0);
    expect(detail.worstNegative).toBeGreaterThan(-1e-9);
  });

  it("is Σ(√a − √b)² for diagonal covariances with equal means", () => {
    const a = [1, 4, 0.25, 9];
    const b = [4, 1, 1, 0.01];
    const diag = (v: number[]) => v.map((x, i) => v.map((_, j) => (i === j ? x : 0)));
    const expected = a.reduce((acc, x, i) => acc + (Math.sqrt(x) - Math.sqrt(b[i])) ** 2, 0);
    const zero = [0, 0, 0, 0];
    expect(frechetDistance(gaussian(zero, diag(a)), gaussian(zero, diag(b)))).toBeCloseTo(expected, 12);
  });

  it("is Σ(√a − √b)² for covariances that share eigenvectors but are not diagonal", () => {
    const a = [2, 0.5, 3];
    const b = [0.5, 8, 3];
    const expected = a.reduce((acc, x, i) => acc + (Math.sqrt(x) - Math.sqrt(b[i])) ** 2, 0);
    const mean = [1, 2, 3];
    expect(frechetDistance(gaussian(mean, rotated(a, 0.7)), gaussian(mean, rotated(b, 0.7)))).toBeCloseTo(expected, 10);
  });

  it("is the squared shift when one set is the other moved by a constant", () => {
    const n = 300;
    const d = 16;
    const f = features(n, d, 2);
    const moved = f.map((v, i) => v + (i % d) * 0.1); // shift vector (0, 0.1, …, 1.5)
    const expected = Array.from({ length: d }, (_, j) => (j * 0.1) ** 2).reduce((a, b) => a + b);
    const detail = frechetDetail(fitGaussian(f, n, d), fitGaussian(moved, n, d));
    expect(Math.abs(detail.distance - expected)).toBeLessThan(1e-9 * expected + 1e-9 * trace(fitGaussian(f, n, d)));
    expect(detail.meanTerm).toBeCloseTo(expected, 9);
  });

  it("is symmetric in its arguments", () => {
    const a = features(200, 32, 3);
    const b = features(250, 32, 4, 0.5);
    const ab = frechetOfFeatures(a, 200, b, 250, 32);
    const ba = frechetOfFeatures(b, 250, a, 200, 32);
    expect(ab).toBeGreaterThan(1);
    expect(Math.abs(ab - ba)).toBeLessThan(1e-9 * ab);
  });

  it("stays finite and ≥ 0 when there are fewer samples than dimensions (singular covariances)", () => {
    const a = features(20, 48, 5);
    const b = features(20, 48, 6);
    const detail = frechetDetail(fitGaussian(a, 20, 48), fitGaussian(b, 20, 48));
    expect(Number.isFinite(detail.distance)).toBe(true);
    expect(detail.distance).toBeGreaterThan(0);
  });

  it("refuses Gaussians of different dimension", () => {
    expect(() => frechetDistance(gaussian([0], [[1]]), gaussian([0, 0], [[1, 0], [0, 1]]))).toThrow(/dimensions/);
  });
});
