// One loader for the packed digit asset: Node reads it from disk, the browser (page or worker) fetches it as a
// static file. node:fs is imported dynamically and marked ignore so browser bundles never try to include it.
import { decodeDigitAsset, type DigitSet } from "./mnist-asset";

/** Where `public/` serves the asset in the app. */
export const DIGITS_URL = "/assets/generated/mnist-digits.bin";
/** Where scripts/build-mnist-asset.ts writes it, relative to the repository root. */
export const DIGITS_PATH = "public/assets/generated/mnist-digits.bin";

/** Asset bytes, a file path (Node), or a URL (fetched; relative URLs resolve against the page or worker). */
export type DigitSource = Uint8Array | ArrayBuffer | string | URL;

function isNode(): boolean {
  return typeof process !== "undefined" && !!process.versions?.node && typeof window === "undefined";
}

/** In Node, plain strings and file: URLs are paths on disk; http(s), blob and data URLs are fetched. */
function isLocalPath(source: string | URL): boolean {
  if (source instanceof URL) return source.protocol === "file:";
  return !/^(https?|blob|data):/i.test(source);
}

async function readNodeFile(path: string | URL): Promise<Uint8Array> {
  const fs = await import(/* webpackIgnore: true */ "node:fs/promises");
  try {
    return new Uint8Array(await fs.readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`MNIST digit asset not found at ${String(path)}: run \`npx tsx scripts/build-mnist-asset.ts\``);
    }
    throw err;
  }
}

async function fetchBytes(url: string | URL): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetching MNIST digit asset ${String(url)} failed: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Loads the real MNIST digits. Default source: the built file in Node, the static URL in a browser. */
export async function loadDigits(source?: DigitSource): Promise<DigitSet> {
  if (source instanceof Uint8Array) return decodeDigitAsset(source);
  if (source instanceof ArrayBuffer) return decodeDigitAsset(new Uint8Array(source));
  const node = isNode();
  const where = source ?? (node ? DIGITS_PATH : DIGITS_URL);
  return decodeDigitAsset(node && isLocalPath(where) ? await readNodeFile(where) : await fetchBytes(where));
}
