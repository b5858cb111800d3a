// The bounded streaming unzip behind run imports: inflated bytes are counted as they are produced, whatever the
// headers declare, and the work yields to the event loop.
import { strToU8, zipSync, type Zippable } from "fflate";
import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/tracker/errors";
import { unzipBounded, type UnzipLimits } from "@/lib/tracker/unzip";

const MB = 1024 * 1024;
const roomy: UnzipLimits = { entry: () => 64 * MB, total: 256 * MB };

/** A zip whose headers (local and central) all declare `size` as each entry's unpacked size. */
function lying(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let at = 0; at + 4 <= out.length; at++) {
    const sig = view.getUint32(at, true);
    if (sig === 0x04034b50) view.setUint32(at + 22, size, true);
    else if (sig === 0x02014b50) view.setUint32(at + 24, size, true);
  }
  return out;
}

/** The zip with entry `from` renamed `to` (as long) in its local and central headers. */
function renamed(zip: Uint8Array, from: string, to: string): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let at = 0; at + 46 <= out.length; at++) {
    const sig = view.getUint32(at, true);
    const name = sig === 0x04034b50 ? at + 30 : sig === 0x02014b50 ? at + 46 : -1;
    const length = sig === 0x04034b50 ? view.getUint16(at + 26, true) : view.getUint16(at + 28, true);
    if (name < 0 || new TextDecoder().decode(out.subarray(name, name + length)) !== from) continue;
    out.set(strToU8(to), name);
  }
  return out;
}

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

async function* inChunks(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe("unzipBounded", () => {
  it("reads stored and deflated entries, from bytes or from chunks, leaving folders out", async () => {
    const files: Zippable = { "run.json": strToU8('{"a":1}'), "samples/": {}, "samples/x.png": [new Uint8Array([1, 2, 3]), { level: 0 }], empty: new Uint8Array(0) };
    const zip = zipSync(files);
    for (const source of [zip, inChunks(zip, 7)]) {
      const out = await unzipBounded(source, roomy);
      expect([...out.keys()].sort()).toEqual(["empty", "run.json", "samples/x.png"]);
      expect(new TextDecoder().decode(out.get("run.json"))).toBe('{"a":1}');
      expect(out.get("samples/x.png")).toEqual(new Uint8Array([1, 2, 3]));
      expect(out.get("empty")!.byteLength).toBe(0);
    }
  });

  it("refuses an entry from its declared size before inflating it", async () => {
    const zip = zipSync({ big: new Uint8Array(2 * MB) });
    const err = await refusal(unzipBounded(zip, { entry: () => MB, total: 10 * MB }));
    expect(err).toMatchObject({ status: 413 });
    expect(err.message).toContain("big unpacks to more than the import limit");
  });

  it("counts what is inflated when the headers lie, per entry and in all", async () => {
    const zeros = new Uint8Array(8 * MB);
    const oneBig = lying(zipSync({ a: zeros }), 10);
    expect(oneBig.byteLength).toBeLessThan(64 * 1024);
    const entry = await refusal(unzipBounded(oneBig, { entry: () => MB, total: 100 * MB, ratio: Infinity }));
    expect(entry).toMatchObject({ status: 413 });
    expect(entry.message).toContain("a unpacks to more than the import limit");
    const many = lying(zipSync({ a: zeros, b: zeros, c: zeros }), 10);
    const err = await refusal(unzipBounded(many, { entry: () => 10 * MB, total: 12 * MB, ratio: Infinity }));
    expect(err.message).toContain("in all");
  });

  it("refuses an entry that inflates past 100 times its compressed size, once past 1 MB", async () => {
    const bomb = lying(zipSync({ "metrics.csv": new Uint8Array(16 * MB) }), 10);
    const err = await refusal(unzipBounded(bomb, roomy));
    expect(err).toMatchObject({ status: 413 });
    expect(err.message).toBe("bundle: metrics.csv inflates more than 100 times its size: not a run bundle's file");
    // Small files of one repeated byte are not judged; text at about 5:1 never is.
    const text = strToU8(Array.from({ length: 200_000 }, (_, i) => `${i},loss/d,${Math.sin(i)},${1.7e12 + i}`).join("\n"));
    const fine = await unzipBounded(zipSync({ small: new Uint8Array(MB), "metrics.csv": text }), roomy);
    expect(fine.get("metrics.csv")!.byteLength).toBe(text.byteLength);
  });

  it("refuses what is not a whole zip: garbage, a cut tail, a name twice", async () => {
    const zip = zipSync({ a: strToU8("hello"), b: strToU8("world") });
    for (const bytes of [strToU8("not a zip at all"), zip.slice(0, zip.length - 10), zip.slice(0, 40), new Uint8Array(0)]) {
      expect(await refusal(unzipBounded(bytes, roomy))).toMatchObject({ status: 400, code: "malformed_bundle" });
    }
    const err = await refusal(unzipBounded(renamed(zip, "b", "a"), roomy));
    expect(err.message).toContain("a appears twice");
  });

  it("lets other work run while it inflates", async () => {
    const zip = zipSync({ a: new Uint8Array(24 * MB), b: new Uint8Array(24 * MB) });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const out = await unzipBounded(zip, { entry: () => 64 * MB, total: 128 * MB, ratio: Infinity });
      expect(out.get("b")!.byteLength).toBe(24 * MB);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});
