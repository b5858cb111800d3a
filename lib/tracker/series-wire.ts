// The binary form of metric series, for GET /api/runs/:id/metrics?format=binary and for POST bodies sent with
// Content-Type SERIES_MIME. Browser-safe: no Node or database imports, so a chart or a worker can import it.
// Moving a 1M-point series this way is a memcpy instead of printing and parsing 3M numbers as JSON text.
//
// Layout (all little-endian):
//   "ZSR1" | uint32 headerBytes | header JSON (space-padded so the arrays start at a multiple of 8)
//   then for each header.series entry, in order: steps f64[count], values f64[count] (NaN = null), times f64[count]
// header = {series: [{key, count, total?}], ...extra}   (an ingest body puts its batch number in extra)

export const SERIES_MIME = "application/vnd.zoetrope.series";

export interface WireSeries {
  steps: Float64Array;
  values: Float64Array;
  times: Float64Array;
  /** points stored in the requested range before downsampling (reads only) */
  total?: number;
}

export interface WireEntry {
  key: string;
  count: number;
  total?: number;
}

export interface WireHeader {
  series: WireEntry[];
  [extra: string]: unknown;
}

const MAGIC = [0x5a, 0x53, 0x52, 0x31]; // "ZSR1"

/**
 * The payload as consecutive parts — the header, then views of each series' arrays (no copy) — so a server can
 * stream it without first assembling one big buffer.
 */
export function encodeSeriesParts(
  series: Iterable<[string, WireSeries]>,
  extra: Record<string, unknown> = {},
): Uint8Array[] {
  const entries = [...series];
  const header: WireHeader = {
    ...extra,
    series: entries.map(([key, s]) => ({ key, count: s.steps.length, ...(s.total === undefined ? {} : { total: s.total }) })),
  };
  const text = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil((8 + text.length) / 8) * 8 - 8;
  const head = new Uint8Array(8 + headerBytes).fill(0x20, 8);
  head.set(MAGIC, 0);
  new DataView(head.buffer).setUint32(4, headerBytes, true);
  head.set(text, 8);
  const parts: Uint8Array[] = [head];
  for (const [, s] of entries) {
    for (const a of [s.steps, s.values, s.times]) {
      if (a.length !== s.steps.length) throw new Error("steps, values and times must have equal lengths");
      parts.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    }
  }
  return parts;
}

/** The payload as one buffer (what a client sends as an ingest body). */
export function encodeSeries(series: Iterable<[string, WireSeries]>, extra: Record<string, unknown> = {}): Uint8Array {
  const parts = encodeSeriesParts(series, extra);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * Decodes into Float64Array views over `buf` (no copy), so `buf` must start 8-byte aligned (any ArrayBuffer does).
 * Throws an Error saying what is wrong on anything that is not this format.
 */
export function decodePayload(buf: ArrayBuffer): { header: WireHeader; series: Map<string, WireSeries> } {
  const bytes = new Uint8Array(buf);
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error("not a zoetrope series payload");
  const headerBytes = new DataView(buf).getUint32(4, true);
  if ((8 + headerBytes) % 8 !== 0 || 8 + headerBytes > bytes.length) throw new Error("bad header length");
  let header: WireHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerBytes))) as WireHeader;
  } catch {
    throw new Error("header is not JSON");
  }
  if (!header || !Array.isArray(header.series)) throw new Error("header.series must be an array");
  let points = 0;
  for (const e of header.series) {
    if (!e || typeof e.key !== "string" || !Number.isSafeInteger(e.count) || e.count < 0) {
      throw new Error("each header.series entry needs a key and a count");
    }
    points += e.count;
  }
  if (8 + headerBytes + points * 24 !== bytes.length) {
    throw new Error(`payload is ${bytes.length} bytes; the header describes ${8 + headerBytes + points * 24}`);
  }
  const series = new Map<string, WireSeries>();
  let offset = 8 + headerBytes;
  const take = (n: number) => {
    const a = new Float64Array(buf, offset, n);
    offset += n * 8;
    return a;
  };
  for (const { key, count, total } of header.series) {
    series.set(key, { steps: take(count), values: take(count), times: take(count), total });
  }
  return { header, series };
}

/** The series of a payload; see decodePayload. */
export function decodeSeries(buf: ArrayBuffer): Map<string, WireSeries> {
  return decodePayload(buf).series;
}
