// A hostile run bundle: a few small files beside entries of zeros that deflate about 1000:1 (issue 17's example is
// 8 entries of 200 MB in 1.6 MB). Written entry by entry with Node's zlib, so making it never holds more than one
// entry's zeros; each entry's compressed bytes are made once and repeated.
import zlib from "node:zlib";

const MB = 1024 * 1024;

interface Entry {
  name: string;
  data: Uint8Array;
  size: number;
  crc: number;
  method: 0 | 8;
}

function localHeader(e: Entry): Uint8Array {
  const name = Buffer.from(e.name);
  const h = Buffer.alloc(30 + name.length);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4); // version needed
  h.writeUInt16LE(0x0800, 6); // UTF-8 names
  h.writeUInt16LE(e.method, 8);
  h.writeUInt32LE(e.crc, 14);
  h.writeUInt32LE(e.data.byteLength, 18);
  h.writeUInt32LE(e.size, 22);
  h.writeUInt16LE(name.length, 26);
  name.copy(h, 30);
  return h;
}

function centralHeader(e: Entry, offset: number): Uint8Array {
  const name = Buffer.from(e.name);
  const h = Buffer.alloc(46 + name.length);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(0x0800, 8);
  h.writeUInt16LE(e.method, 10);
  h.writeUInt32LE(e.crc, 16);
  h.writeUInt32LE(e.data.byteLength, 20);
  h.writeUInt32LE(e.size, 24);
  h.writeUInt16LE(name.length, 28);
  h.writeUInt32LE(offset, 42);
  name.copy(h, 46);
  return h;
}

export interface ZerosOptions {
  /** the entries' names */
  name?: (i: number) => string;
  /** the unpacked size the headers declare for each zeros entry (the true one by default): a reader must count */
  declare?: number;
}

/** A zip of `files` (stored as they are) and `entries` entries, each `mb` MB of zeros, deflated. */
export function zerosZip(files: Record<string, Uint8Array>, entries: number, mb: number, opts: ZerosOptions = {}): Uint8Array {
  const name = opts.name ?? ((i: number) => `samples/zeros-${i}.bin`);
  const zeros = Buffer.alloc(mb * MB);
  const deflated = zlib.deflateRawSync(zeros, { level: 9 });
  const crc = zlib.crc32(zeros);
  const all: Entry[] = [
    ...Object.entries(files).map(([n, data]): Entry => ({ name: n, data, size: data.byteLength, crc: zlib.crc32(data), method: 0 })),
    ...Array.from({ length: entries }, (_, i): Entry => ({ name: name(i), data: deflated, size: opts.declare ?? zeros.byteLength, crc, method: 8 })),
  ];
  const parts: Uint8Array[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const e of all) {
    offsets.push(at);
    const h = localHeader(e);
    parts.push(h, e.data);
    at += h.byteLength + e.data.byteLength;
  }
  const dirStart = at;
  for (let i = 0; i < all.length; i++) {
    const h = centralHeader(all[i], offsets[i]);
    parts.push(h);
    at += h.byteLength;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(all.length, 8);
  end.writeUInt16LE(all.length, 10);
  end.writeUInt32LE(at - dirStart, 12);
  end.writeUInt32LE(dirStart, 16);
  parts.push(end);
  return Buffer.concat(parts);
}
