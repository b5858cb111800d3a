// Unzips an untrusted archive as it streams in, with every entry's inflated bytes counted against a budget while
// they are produced: a zip bomb is refused once it passes the budget, whatever sizes its headers declare, having
// held at most the budget in memory. fflate reads the archive's structure; Node's zlib inflates the entries on its
// thread pool, so a large or hostile archive never holds the event loop (fflate's own inflater would, for tens of
// milliseconds per slice of zeros), and other requests are answered meanwhile.
import zlib from "node:zlib";
import { Unzip, type AsyncFlateStreamHandler, type FlateError, type UnzipDecoder } from "fflate";
import { concatBytes } from "./bytes";
import { ApiError, tooLarge } from "./errors";

export interface UnzipLimits {
  /** The most bytes the entry may inflate to. */
  entry(name: string): number;
  /** The most bytes all entries together may inflate to. */
  total: number;
  /**
   * The most bytes an entry may inflate to per compressed byte, once past RATIO_FROM (default 100, as Apache POI's
   * zip bomb check: text compresses about 4:1, media not at all, zeros 1000:1).
   */
  ratio?: number;
}

/** Inflated bytes of an entry before its ratio is judged: small files of one repeated byte are not bombs. */
const RATIO_FROM = 1024 * 1024;

/** Bytes of the archive handed to fflate at once; between slices, a turn of the event loop when one is due. */
const SLICE = 16 * 1024;
/** How long reading the archive may hold the event loop before yielding to other requests. */
const TURN_MS = 8;
/** The end-of-central-directory record: 22 bytes and a comment of up to 65,535. */
const EOCD_MAX = 22 + 0xffff;

const unreadable = (why: string) => new ApiError(400, "malformed_bundle", `bundle: not a readable zip file (${why})`);
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const EMPTY = new Uint8Array(0);

/**
 * A deflate decoder class for fflate's Unzip that inflates with Node's zlib, off the event loop. Its streams join
 * `active`, so the reader can wait for them to catch up before it hands over more of the archive.
 */
function zlibInflate(active: Set<zlib.InflateRaw>, compressed: Map<string, number>) {
  return class ZlibInflate implements UnzipDecoder {
    static readonly compression = 8;
    ondata: AsyncFlateStreamHandler = () => undefined;
    private readonly z = zlib.createInflateRaw({ chunkSize: 64 * 1024 });

    constructor(private readonly name: string) {
      active.add(this.z);
      compressed.set(name, 0);
      this.z.on("data", (chunk: Buffer) => this.ondata(null, new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength) as Uint8Array<ArrayBuffer>, false));
      this.z.on("end", () => this.ondata(null, EMPTY, true));
      this.z.on("error", (err) => this.ondata(Object.assign(err, { code: 0 }) as FlateError, EMPTY, true));
      this.z.on("close", () => active.delete(this.z));
    }

    push(chunk: Uint8Array, final: boolean) {
      if (this.z.destroyed) return;
      compressed.set(this.name, compressed.get(this.name)! + chunk.byteLength);
      if (chunk.byteLength) this.z.write(chunk);
      if (final) this.z.end();
    }

    terminate() {
      this.z.destroy();
    }
  };
}

/**
 * The archive's files by name (folders left out). 413 when an entry or the whole passes its limit (declared or
 * counted), 400 when the bytes are not a complete zip archive or a name appears twice.
 */
export async function unzipBounded(
  source: Uint8Array | AsyncIterable<Uint8Array>,
  limits: UnzipLimits,
): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const started = new Set<string>();
  const stoppers: (() => void)[] = [];
  let folders = 0;
  let total = 0;
  let failure: unknown = null;
  // Entries inflate asynchronously: the end waits for the last one, or for the first failure.
  let pending = 0;
  let done = false; // all of the archive pushed
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const fail = (err: unknown) => {
    if (failure) return;
    failure = err;
    for (const stop of stoppers) stop();
    settle();
  };

  const unzip = new Unzip((file) => {
    if (failure) return;
    if (file.name.endsWith("/")) {
      folders++; // never started, so nothing is inflated
      return;
    }
    if (started.has(file.name)) return fail(unreadable(`${file.name} appears twice`));
    started.add(file.name);
    const cap = limits.entry(file.name);
    if (file.originalSize !== undefined && file.originalSize > cap) return fail(overLimit(file.name, cap));
    const parts: Uint8Array[] = [];
    let size = 0;
    pending++;
    file.ondata = (err, data, final) => {
      if (failure) return;
      if (err) return fail(unreadable(err.message));
      size += data.byteLength;
      total += data.byteLength;
      if (size > cap) return fail(overLimit(file.name, cap));
      const ratio = size / (compressed.get(file.name) ?? size);
      if (size > RATIO_FROM && ratio > (limits.ratio ?? 100)) {
        return fail(tooLarge(`bundle: ${file.name} inflates more than ${limits.ratio ?? 100} times its size: not a run bundle's file`));
      }
      if (total > limits.total) return fail(tooLarge(`bundle: unpacks to more than ${limits.total} bytes in all`));
      if (data.byteLength) parts.push(data);
      if (final) {
        files.set(file.name, concatBytes(parts, size));
        if (--pending === 0 && done) settle();
      }
    };
    stoppers.push(() => file.terminate());
    file.start();
  });
  const active = new Set<zlib.InflateRaw>();
  const compressed = new Map<string, number>();
  unzip.register(zlibInflate(active, compressed));
  // Inflation keeps pace with reading: a stream with input waiting (about 16 KB, so at most ~16 MB of zeros to come)
  // is let catch up first. Inflated bytes are then counted close to where the archive is read, entry after entry.
  const caughtUp = async () => {
    for (const z of active) {
      if (z.destroyed || !z.writableNeedDrain) continue;
      await Promise.race([drainOrClose(z), settled]);
    }
  };

  const tail = new Tail(EOCD_MAX);
  let turn = performance.now();
  const push = (bytes: Uint8Array, final: boolean) => {
    try {
      unzip.push(bytes, final);
    } catch (err) {
      fail(unreadable((err as Error).message));
    }
    if (failure) throw failure;
  };
  try {
    for await (const chunk of source instanceof Uint8Array ? [source] : source) {
      tail.add(chunk);
      for (let at = 0; at < chunk.byteLength; at += SLICE) {
        push(chunk.subarray(at, at + SLICE), false);
        await caughtUp();
        if (failure) throw failure;
        if (performance.now() - turn > TURN_MS) {
          await nextTurn();
          turn = performance.now();
        }
      }
    }
    push(EMPTY, true);
    done = true;
    if (pending === 0) settle();
    await settled;
  } finally {
    for (const stop of stoppers) stop();
  }
  if (failure) throw failure;
  const declared = endOfCentralDirectory(tail.bytes());
  if (declared === null) throw unreadable("no end of central directory: truncated or not a zip");
  if (declared !== undefined && declared !== started.size + folders) {
    // Local headers the stream found do not match the directory's count: entries hidden from one reader or the other.
    throw unreadable(`the central directory lists ${declared} entries, the archive holds another number`);
  }
  for (const name of started) if (!files.has(name)) throw unreadable(`${name} ends early`);
  return files;
}

/** Resolves when a stream has taken its waiting input, or has closed; leaves no listener behind. */
function drainOrClose(z: zlib.InflateRaw): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      z.off("drain", done).off("close", done);
      resolve();
    };
    z.on("drain", done).on("close", done);
  });
}

function overLimit(name: string, cap: number): ApiError {
  return tooLarge(`bundle: ${name} unpacks to more than the import limit allows for it (${cap} bytes)`);
}

/** The last `max` bytes of a stream. */
class Tail {
  private chunks: Uint8Array[] = [];
  private size = 0;
  constructor(private readonly max: number) {}
  add(chunk: Uint8Array) {
    this.chunks.push(chunk);
    this.size += chunk.byteLength;
    while (this.chunks.length > 1 && this.size - this.chunks[0].byteLength >= this.max) this.size -= this.chunks.shift()!.byteLength;
  }
  bytes(): Uint8Array {
    const all = concatBytes(this.chunks, this.size);
    return all.subarray(Math.max(0, all.byteLength - this.max));
  }
}

/**
 * The entry count of the end-of-central-directory record that ends `tail` (undefined when the count lives in a
 * zip64 record), or null when the bytes do not end with one: the archive is truncated or not a zip.
 */
function endOfCentralDirectory(tail: Uint8Array): number | null | undefined {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let at = tail.byteLength - 22; at >= 0; at--) {
    if (view.getUint32(at, true) !== 0x06054b50) continue;
    if (at + 22 + view.getUint16(at + 20, true) !== tail.byteLength) continue;
    const entries = view.getUint16(at + 10, true);
    return entries === 0xffff ? undefined : entries;
  }
  return null;
}
