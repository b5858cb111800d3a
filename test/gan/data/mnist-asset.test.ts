import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { decodeDigitAsset, encodeDigitAsset, type DigitSet } from "@/lib/gan/data/mnist-asset";
import { loadDigits } from "@/lib/gan/data/mnist-load";
import { createDataset } from "@/lib/gan/data/create";
import { buildMnistAsset } from "@/scripts/build-mnist-asset";

// vitest's deep equality walks 7.8 M elements one by one (tens of seconds); compare as buffers instead.
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

let dir: string;
let file: string;
let digits: DigitSet;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "zoetrope-mnist-"));
  file = path.join(dir, "sub", "mnist-digits.bin");
  await buildMnistAsset(file);
  digits = await loadDigits(file);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("MNIST digit asset", () => {
  it("holds the package's 10,000 digits of 28×28 with labels 0-9", () => {
    expect(digits.count).toBe(10_000);
    expect([digits.rows, digits.cols]).toEqual([28, 28]);
    const perLabel = new Array(10).fill(0);
    digits.labels.forEach((l) => perLabel[l]++);
    // Counts of the package's JSON files, 0.json … 9.json.
    expect(perLabel).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it("has plausible MNIST pixel statistics", () => {
    let total = 0;
    let ink = 0;
    let max = 0;
    for (const v of digits.pixels) {
      total += v;
      if (v > 0) ink++;
      if (v > max) max = v;
    }
    expect(total / digits.pixels.length / 255).toBeCloseTo(0.1307, 1); // MNIST's well-known mean intensity
    expect(ink / digits.pixels.length).toBeGreaterThan(0.15);
    expect(ink / digits.pixels.length).toBeLessThan(0.25);
    expect(max).toBe(255);
    // Every digit has ink, and the border rows are (almost always) empty, as MNIST's 20×20-in-28×28 framing.
    for (let i = 0; i < digits.count; i += 97) {
      const img = digits.pixels.subarray(i * 784, (i + 1) * 784);
      expect(img.some((v) => v > 128)).toBe(true);
      expect(img.subarray(0, 28).every((v) => v === 0)).toBe(true);
    }
  });

  it("is compact and rebuilt only when asked or out of date", async () => {
    const size = (await stat(file)).size;
    expect(size).toBeLessThan(2_500_000);
    expect((await buildMnistAsset(file)).built).toBe(false);
    expect((await buildMnistAsset(file, true)).built).toBe(true);
    expect((await stat(file)).size).toBe(size);
  });

  it("loads the same digits from bytes and from a fetched URL", async () => {
    const bytes = new Uint8Array(await readFile(file));
    expect(sameBytes((await loadDigits(bytes)).pixels, digits.pixels)).toBe(true);
    const fetchMock = vi.fn(async () => new Response(bytes));
    vi.stubGlobal("fetch", fetchMock);
    try {
      const fetched = await loadDigits("http://127.0.0.1/assets/generated/mnist-digits.bin");
      expect(fetchMock).toHaveBeenCalledOnce();
      expect(sameBytes(fetched.labels, digits.labels)).toBe(true);
      expect(sameBytes(fetched.pixels, digits.pixels)).toBe(true);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("round-trips a small set and rejects damaged bytes", () => {
    const small = { count: 2, rows: 2, cols: 2, labels: Uint8Array.of(3, 7), pixels: Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 255) };
    const bytes = encodeDigitAsset(small);
    expect(decodeDigitAsset(bytes)).toEqual(small);
    expect(() => decodeDigitAsset(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    expect(() => decodeDigitAsset(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16))).toThrow(/not a digit asset/);
  });

  it("feeds Moving MNIST with real digits through createDataset", async () => {
    const data = await createDataset("moving-mnist", { source: file, size: 32, frames: 4 }, 1);
    expect(data.digitCount).toBe(10_000);
    const video = data.nextBatchArray(2);
    const ink = video.filter((v) => v > -1).length / video.length;
    expect(ink).toBeGreaterThan(0.05); // two ~14 px digits on 32×32, ~20% of their box inked
    expect(ink).toBeLessThan(0.5);
  });

  it("names the build command when the file is missing", async () => {
    await expect(loadDigits(path.join(dir, "missing.bin"))).rejects.toThrow(/build-mnist-asset/);
  });
});
