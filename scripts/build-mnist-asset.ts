// Packs the `mnist` package's 10,000 real digits (JSON, values 0..1) into public/assets/generated/mnist-digits.bin.
// Runs from postinstall and before `npm start`, so it is idempotent: an up-to-date asset is left alone (~ms).
//   npx tsx scripts/build-mnist-asset.ts [--force] [--out path]
import { mkdir, open, readFile, rename, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { encodeDigitAsset, readAssetHeader, type DigitSet } from "../lib/gan/data/mnist-asset";
import { DIGITS_PATH } from "../lib/gan/data/mnist-load";

const SIDE = 28;
const CLASSES = 10;

/** The package keeps one JSON file per class: src/digits/<label>.json = { data: number[] } (784 values per digit). */
function digitFiles(): string[] {
  const pkg = createRequire(import.meta.url).resolve("mnist/package.json");
  return Array.from({ length: CLASSES }, (_, label) => path.join(path.dirname(pkg), "src", "digits", `${label}.json`));
}

export async function readMnistPackage(): Promise<DigitSet> {
  const perClass = await Promise.all(
    digitFiles().map(async (file) => (JSON.parse(await readFile(file, "utf8")) as { data: number[] }).data),
  );
  const count = perClass.reduce((n, data) => n + data.length / (SIDE * SIDE), 0);
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * SIDE * SIDE);
  let at = 0;
  perClass.forEach((data, label) => {
    if (data.length % (SIDE * SIDE) !== 0) throw new Error(`class ${label}: ${data.length} values is not whole digits`);
    // The JSON holds k/255 rounded to 3 decimals; rounding ×255 recovers the original byte exactly.
    for (let i = 0; i < data.length; i++) pixels[at * SIDE * SIDE + i] = Math.round(data[i] * 255);
    labels.fill(label, at, at + data.length / (SIDE * SIDE));
    at += data.length / (SIDE * SIDE);
  });
  return { count, rows: SIDE, cols: SIDE, labels, pixels };
}

/** Up to date = readable header of this format version, newer than every source file. */
async function isUpToDate(out: string): Promise<boolean> {
  try {
    const file = await open(out, "r");
    const head = new Uint8Array(16);
    try {
      await file.read(head, 0, head.length, 0);
    } finally {
      await file.close();
    }
    if (!readAssetHeader(head)) return false;
    const outStat = await stat(out);
    const sources = await Promise.all(digitFiles().map((f) => stat(f)));
    return sources.every((s) => s.mtimeMs <= outStat.mtimeMs);
  } catch {
    return false;
  }
}

export async function buildMnistAsset(out: string, force = false): Promise<{ built: boolean; bytes: number }> {
  if (!force && (await isUpToDate(out))) return { built: false, bytes: (await stat(out)).size };
  const bytes = encodeDigitAsset(await readMnistPackage());
  await mkdir(path.dirname(out), { recursive: true });
  // Write then rename, so a concurrent `npm start` never reads a half-written file.
  const tmp = `${out}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, out);
  return { built: true, bytes: bytes.length };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outFlag = args.indexOf("--out");
  const out = path.resolve(outFlag >= 0 ? args[outFlag + 1] : DIGITS_PATH);
  const t0 = performance.now();
  const { built, bytes } = await buildMnistAsset(out, args.includes("--force"));
  const ms = (performance.now() - t0).toFixed(0);
  console.log(`mnist digits: ${built ? "built" : "up to date"} ${path.relative(process.cwd(), out)} (${bytes} bytes, ${ms} ms)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
