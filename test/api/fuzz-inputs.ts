// Seeded generators of hostile requests for the fuzz suites: malformed encodings, unpaired surrogates, deep
// nesting, wrong types, oversize and truncated bodies, bad multipart, broken zips. Everything comes from one Rng,
// so a case is replayed exactly from its seed and number.
import { strToU8, zipSync, type Zippable } from "fflate";
import { SERIES_MIME, encodeSeries } from "@/lib/tracker/series-wire";
import { gif, mp4, png } from "./fixtures";

/** mulberry32: small, fast, and the same sequence everywhere. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  bytes(n: number): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

/** The seed of case `n` of a run seeded `seed`: each case has its own stream, so one can be replayed alone. */
export const caseSeed = (seed: number, n: number) => (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(n + 1, 0xc2b2ae35)) >>> 0;

export const LONE_SURROGATES = ["\ud800", "\udfff", "a\udc00b", "\ud83d", "😀".slice(1) + "x"];

/** Text a client may send; `wellFormed` leaves out unpaired surrogates (a decoded URL never has one). */
export function text(rng: Rng, wellFormed = false): string {
  const pool = [
    "",
    " ",
    "x",
    "   padded   ",
    "a".repeat(201),
    "b".repeat(5000),
    "\u0000",
    "\u0007bell",
    "\u202eright-to-left",
    "😀",
    "\u{10FFFF}",
    "ünï ✓",
    "%ff",
    "%",
    "../../etc/passwd",
    "a,b",
    "a/b",
    "__proto__",
    "constructor",
    "1e999",
    "-1",
    "NaN",
    "null",
    "<script>",
    "line\nbreak",
    "\uFEFFbom",
  ];
  if (!wellFormed && rng.chance(0.15)) return rng.pick(LONE_SURROGATES);
  if (rng.chance(0.2)) {
    // Random code points, astral ones included.
    let s = "";
    for (let i = rng.int(20); i > 0; i--) s += String.fromCodePoint(rng.chance(0.2) ? 0x10000 + rng.int(0xfffff) : rng.int(0xd7ff));
    return s;
  }
  return rng.pick(pool);
}

const NUMBERS = [0, -0, 1, -1, 0.5, 1e-300, 2 ** 31 - 1, 2 ** 31, 2 ** 53 + 2, -(2 ** 53), 1e308, Number.MAX_VALUE];

/** A JSON value of any type, sometimes nested; keys hostile too. */
export function value(rng: Rng, depth = 0): unknown {
  const roll = rng.int(depth > 3 ? 4 : 7);
  switch (roll) {
    case 0:
      return text(rng);
    case 1:
      return rng.pick(NUMBERS);
    case 2:
      return rng.pick([true, false, null]);
    case 3:
      return rng.pick([[], {}, "", 0]);
    case 4:
      return Array.from({ length: rng.int(4) }, () => value(rng, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = rng.int(4); i > 0; i--) out[rng.chance(0.3) ? text(rng) : rng.pick(["a", "lr", "name", "batch"])] = value(rng, depth + 1);
      return out;
    }
  }
}

/** JSON text of `levels` nested objects or arrays, built as text (JSON.stringify would overflow on it). */
export function deepJson(levels: number, rng: Rng): string {
  return rng.chance(0.5) ? "[".repeat(levels) + "]".repeat(levels) : '{"a":'.repeat(levels) + "1" + "}".repeat(levels);
}

/** JSON text with things JSON.stringify cannot write: 1e999, __proto__ keys, a deep subtree, in a random place. */
export function trickyJson(template: Record<string, unknown>, rng: Rng): string {
  const keys = Object.keys(template);
  const key = keys.length ? rng.pick(keys) : "x";
  const marker = '"@@HOLE@@"';
  const json = JSON.stringify({ ...template, [key]: "@@HOLE@@" });
  const hole = rng.pick([
    "1e999",
    "-1e999",
    '{"__proto__":{"polluted":1}}',
    '{"a":{"__proto__":1}}',
    deepJson(rng.pick([65, 1000, 100_000]), rng),
    '"\\ud800"',
    '{"\\udc00":1}',
    "[" + "1,".repeat(rng.int(2000)) + "1]",
  ]);
  return json.replace(marker, hole);
}

/** Mutates a valid body: a field replaced by any value, removed, or an extra one added. */
export function mutate(template: Record<string, unknown>, rng: Rng): Record<string, unknown> {
  const out: Record<string, unknown> = { ...template };
  const keys = Object.keys(out);
  for (let n = 1 + rng.int(2); n > 0; n--) {
    const roll = rng.int(3);
    if (roll === 0 && keys.length) out[rng.pick(keys)] = value(rng);
    else if (roll === 1 && keys.length) delete out[rng.pick(keys)];
    else out[text(rng, true) || "extra"] = value(rng);
  }
  return out;
}

/** Valid JSON text cut short or with one byte changed. */
export function broken(json: string, rng: Rng): string {
  if (!json.length) return "{";
  if (rng.chance(0.5)) return json.slice(0, rng.int(json.length));
  const at = rng.int(json.length);
  return json.slice(0, at) + rng.pick(["\\", '"', "{", "]", "\u0000", ",", "\ud800"]) + json.slice(at + 1);
}

/** A media file the upload routes accept, or something that looks like one. */
export function media(rng: Rng): Uint8Array<ArrayBuffer> {
  switch (rng.int(5)) {
    case 0:
      return gif(1 + rng.int(64), 1 + rng.int(64), 1 + rng.int(4));
    case 1:
      return png(1 + rng.int(64), 1 + rng.int(64), rng.chance(0.5) ? 1 + rng.int(5) : undefined);
    case 2:
      return mp4(64 + rng.int(4096));
    case 3:
      return gif(8, 8, 2).slice(0, rng.int(20)); // a header cut short
    default:
      return rng.bytes(rng.int(512));
  }
}

/** A well-formed multipart body with hostile fields (FormData writes them as UTF-8, so no lone surrogates arrive). */
export function form(rng: Rng, fields: Record<string, unknown>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (v instanceof Uint8Array) f.set(k, new Blob([v as Uint8Array<ArrayBuffer>]), rng.chance(0.5) ? "upload.bin" : text(rng, true));
    else if (v !== undefined) f.set(k, typeof v === "string" ? v : JSON.stringify(v) ?? "");
  }
  for (let n = rng.int(2); n > 0; n--) f.append(text(rng, true) || "extra", text(rng, true));
  return f;
}

/** A multipart body that does not parse: wrong or missing boundary, cut short, or garbage. */
export function badMultipart(rng: Rng): { body: string; type: string } {
  const part = '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.gif"\r\n\r\nGIF89a\r\n--XYZ--\r\n';
  return rng.pick([
    { body: part.replaceAll("XYZ", "OTHER"), type: "multipart/form-data; boundary=XYZ" },
    { body: part, type: "multipart/form-data" },
    { body: part.slice(0, rng.int(part.length)), type: "multipart/form-data; boundary=XYZ" },
    { body: "junk", type: "multipart/form-data; boundary=" },
    { body: part, type: `multipart/form-data; boundary=${"x".repeat(200)}` },
    { body: "--XYZ\r\n\r\n\r\n", type: "multipart/form-data; boundary=XYZ" },
  ]);
}

/** A metric batch in the binary form, sometimes corrupt: lying counts, a broken header, hostile keys. */
export function seriesBody(rng: Rng): Uint8Array {
  const n = rng.int(5);
  const f64 = (make: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => make(i));
  const key = rng.chance(0.5) ? "loss" : text(rng);
  const steps = f64((i) => (rng.chance(0.9) ? i : rng.pick([-1, 0.5, NaN, Infinity, 2 ** 60])));
  const values = f64(() => rng.pick([0.5, NaN, Infinity, -Infinity, -0, 1e308]));
  const times = f64(() => (rng.chance(0.9) ? 1.7e12 : rng.pick([-1, NaN, Infinity])));
  const bytes = encodeSeries([[key, { steps, values, times }]], { batch: rng.chance(0.8) ? rng.int(1000) : value(rng) });
  switch (rng.int(4)) {
    case 0:
      return bytes.slice(0, rng.int(bytes.length));
    case 1: {
      const copy = bytes.slice();
      copy[rng.int(copy.length)] = rng.int(256);
      return copy;
    }
    default:
      return bytes;
  }
}

export const SERIES = SERIES_MIME;

/** A run bundle mutated: entries dropped, replaced or added, bytes cut or changed, headers lying about sizes. */
export function badZip(bundle: Record<string, Uint8Array>, rng: Rng): Uint8Array {
  const files: Zippable = { ...bundle };
  const names = Object.keys(files);
  switch (rng.int(8)) {
    case 0:
      delete files[rng.pick(names)];
      break;
    case 1:
      files["run.json"] = strToU8(rng.chance(0.5) ? trickyJson(JSON.parse(new TextDecoder().decode(bundle["run.json"])), rng) : JSON.stringify(value(rng)));
      break;
    case 2:
      files["metrics.csv"] = strToU8(`step,key,value,time\n${[0, 1, 2].map(() => [rng.pick(["1", "-1", "x", "", "1e999"]), text(rng, true), rng.pick(["1", "NaN", "Infinity", "x"]), rng.pick(["1", "-5", ""])].join(",")).join("\n")}\n`);
      break;
    case 3:
      files[`samples/${text(rng, true) || "x"}`] = new Uint8Array(rng.pick([1, 64, 512]) * 1024); // zeros: a small bomb
      break;
    case 4:
      files["code.ts"] = rng.bytes(rng.int(64)); // not UTF-8, often
      break;
  }
  const zip = zipSync(files, { level: rng.chance(0.5) ? 0 : 6 });
  switch (rng.int(4)) {
    case 0:
      return zip.slice(0, rng.int(zip.length));
    case 1: {
      const copy = zip.slice();
      for (let i = 1 + rng.int(4); i > 0; i--) copy[rng.int(copy.length)] = rng.int(256);
      return copy;
    }
    case 2: {
      // Every header declares a tiny unpacked size.
      const copy = zip.slice();
      const view = new DataView(copy.buffer);
      for (let at = 0; at + 30 <= copy.length; at++) {
        const sig = view.getUint32(at, true);
        if (sig === 0x04034b50) view.setUint32(at + 22, 1, true);
        else if (sig === 0x02014b50 && at + 28 <= copy.length) view.setUint32(at + 24, 1, true);
      }
      return copy;
    }
    default:
      return zip;
  }
}

/** A path with percent-escapes, some of which do not decode (a lone %, %zz, bytes that are not UTF-8). */
export function rawPath(rng: Rng, base: string): string {
  const escapes = ["%ff", "%fe", "%", "%z", "%zz", "%e2%82", "%ed%a0%80", "%c0%af", "%25", "%2F", "%F0%9F%98%80", "%00", "%20", "x"];
  const parts = base.split("/");
  const at = 1 + rng.int(Math.max(1, parts.length - 1));
  parts[at] = (parts[at] ?? "") + Array.from({ length: 1 + rng.int(3) }, () => rng.pick(escapes)).join("");
  return parts.join("/");
}
