// Unzips an untrusted archive as it streams in, with every entry's inflated bytes counted against a budget while
// they are produced: a zip bomb is refused once it passes the budget, whatever sizes its headers declare, having
// held at most the budget in memory. Work is cut into slices with a turn of the event loop between them, so a
// large or hostile archive never stops the server answering other requests.
import { Unzip, UnzipInflate } from "fflate";
import { ApiError, tooLarge } from "./errors";

export interface UnzipLimits {
  /** The most bytes the entry may inflate to. */
  entry(name: string): number;
  /** The most bytes all entries together may inflate to. */
  total: number;
}

/** Compressed bytes handed to the inflater at once: deflate expands at most ~1032×, so about 8 MB of output. */
const SLICE = 8 * 1024;
/** How long one stretch of work may hold the event loop before yielding to other requests. */
const TURN_MS = 8;
/** The end-of-central-directory record: 22 bytes and a comment of up to 65,535. */
const EOCD_MAX = 22 + 0xffff;

const unreadable = (why: string) => new ApiError(400, "malformed_bundle", `bundle: not a readable zip file (${why})`);
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

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
  let folders = 0;
  let total = 0;
  let failure: unknown = null;
  const fail = (err: unknown) => {
    failure ??= err;
    throw failure;
  };

  const unzip = new Unzip((file) => {
    if (file.name.endsWith("/")) {
      folders++; // never started, so nothing is inflated
      return;
    }
    if (started.has(file.name)) fail(unreadable(`${file.name} appears twice`));
    started.add(file.name);
    const cap = limits.entry(file.name);
    if (file.originalSize !== undefined && file.originalSize > cap) fail(overLimit(file.name, cap));
    const parts: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, data, final) => {
      if (failure) return;
      if (err) fail(unreadable(err.message));
      size += data.byteLength;
      total += data.byteLength;
      if (size > cap) fail(overLimit(file.name, cap));
      if (total > limits.total) fail(tooLarge(`bundle: unpacks to more than ${limits.total} bytes in all`));
      if (data.byteLength) parts.push(data);
      if (final) files.set(file.name, concat(parts, size));
    };
    file.start();
  });
  unzip.register(UnzipInflate);

  const tail = new Tail(EOCD_MAX);
  let turn = performance.now();
  // A limit passed inside fflate's inflater is caught there and handed back to ondata, which ignores it once
  // `failure` is set: so the failure is also checked after every push.
  const push = (bytes: Uint8Array, final: boolean) => {
    try {
      unzip.push(bytes, final);
    } catch (err) {
      throw failure ?? unreadable((err as Error).message);
    }
    if (failure) throw failure;
  };
  for await (const chunk of source instanceof Uint8Array ? [source] : source) {
    tail.add(chunk);
    for (let at = 0; at < chunk.byteLength; at += SLICE) {
      push(chunk.subarray(at, at + SLICE), false);
      if (performance.now() - turn > TURN_MS) {
        await nextTurn();
        turn = performance.now();
      }
    }
  }
  push(new Uint8Array(0), true);
  const declared = endOfCentralDirectory(tail.bytes());
  if (declared === null) throw unreadable("no end of central directory: truncated or not a zip");
  if (declared !== undefined && declared !== started.size + folders) {
    // Local headers the stream found do not match the directory's count: entries hidden from one reader or the other.
    throw unreadable(`the central directory lists ${declared} entries, the archive holds another number`);
  }
  for (const name of started) if (!files.has(name)) throw unreadable(`${name} ends early`);
  return files;
}

function overLimit(name: string, cap: number): ApiError {
  return tooLarge(`bundle: ${name} unpacks to more than the import limit allows for it (${cap} bytes)`);
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
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
    const all = concat(this.chunks, this.size);
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
