// The packed MNIST digit asset: built once from the `mnist` package's JSON (scripts/build-mnist-asset.ts), read by
// Node from disk and by the browser as a static file. Pure bytes in, bytes out — no I/O here.
//
// Layout (little-endian):
//   0  "ZMND"            magic
//   4  u8  version        FORMAT_VERSION; a reader refuses others, the build script rebuilds on mismatch
//   5  u8  rows, u8 cols  28, 28
//   7  u8  reserved       0
//   8  u32 count          number of digits
//  12  u32 bodyLength     bytes of the zlib body that follows (detects a truncated download)
//  16  zlib( labels[count] u8 ‖ pixels[count·rows·cols] u8 )
// The body is zlib-compressed because MNIST is mostly zeros: 7.85 MB raw becomes ~1.7 MB to download, and inflating
// takes tens of milliseconds.
import { unzlibSync, zlibSync } from "fflate";

export const ASSET_MAGIC = "ZMND";
export const FORMAT_VERSION = 1;
const HEADER_BYTES = 16;

/** MNIST digits as uint8 (0 = background, 255 = ink), row-major, digit i at pixels[i·rows·cols]. */
export interface DigitSet {
  count: number;
  rows: number;
  cols: number;
  labels: Uint8Array; // [count], 0..9
  pixels: Uint8Array; // [count, rows, cols]
}

export function encodeDigitAsset(digits: DigitSet): Uint8Array {
  const { count, rows, cols, labels, pixels } = digits;
  if (labels.length !== count || pixels.length !== count * rows * cols) {
    throw new Error(`digit set sizes disagree: ${count} digits, ${labels.length} labels, ${pixels.length} pixels`);
  }
  const raw = new Uint8Array(count + pixels.length);
  raw.set(labels, 0);
  raw.set(pixels, count);
  const body = zlibSync(raw, { level: 6 });
  const out = new Uint8Array(HEADER_BYTES + body.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = ASSET_MAGIC.charCodeAt(i);
  out[4] = FORMAT_VERSION;
  out[5] = rows;
  out[6] = cols;
  view.setUint32(8, count, true);
  view.setUint32(12, body.length, true);
  out.set(body, HEADER_BYTES);
  return out;
}

export interface AssetHeader {
  version: number;
  rows: number;
  cols: number;
  count: number;
  bodyLength: number;
}

/** Reads the header, or null when the bytes are not a digit asset of this format version. */
export function readAssetHeader(bytes: Uint8Array): AssetHeader | null {
  if (bytes.length < HEADER_BYTES) return null;
  for (let i = 0; i < 4; i++) if (bytes[i] !== ASSET_MAGIC.charCodeAt(i)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const header = {
    version: bytes[4],
    rows: bytes[5],
    cols: bytes[6],
    count: view.getUint32(8, true),
    bodyLength: view.getUint32(12, true),
  };
  return header.version === FORMAT_VERSION ? header : null;
}

export function decodeDigitAsset(bytes: Uint8Array): DigitSet {
  const header = readAssetHeader(bytes);
  if (!header) throw new Error(`not a digit asset (want magic ${ASSET_MAGIC} version ${FORMAT_VERSION})`);
  const { rows, cols, count, bodyLength } = header;
  if (bytes.length !== HEADER_BYTES + bodyLength) {
    throw new Error(`digit asset is ${bytes.length} bytes, header says ${HEADER_BYTES + bodyLength} (truncated?)`);
  }
  const raw = unzlibSync(bytes.subarray(HEADER_BYTES));
  if (raw.length !== count * (1 + rows * cols)) throw new Error("digit asset body has the wrong length");
  return { count, rows, cols, labels: raw.subarray(0, count), pixels: raw.subarray(count) };
}
