// A minimal GIF reader for tests: walks the blocks, counts frames, finds the loop extension and LZW-decodes each
// frame's colour indices (no interlacing, which gifenc never writes).

export interface ParsedGif {
  version: string;
  width: number;
  height: number;
  globalPalette: number[][] | null;
  loopCount: number | null; // from NETSCAPE2.0; 0 = forever
  frames: { left: number; top: number; width: number; height: number; delayCs: number; indices: Uint8Array }[];
}

function readSubBlocks(bytes: Uint8Array, at: number): { data: Uint8Array; next: number } {
  const parts: number[] = [];
  while (bytes[at] !== 0) {
    const n = bytes[at];
    for (let i = 1; i <= n; i++) parts.push(bytes[at + i]);
    at += n + 1;
  }
  return { data: Uint8Array.from(parts), next: at + 1 };
}

function lzwDecode(data: Uint8Array, minCodeSize: number, pixelCount: number): Uint8Array {
  const out = new Uint8Array(pixelCount);
  const clear = 1 << minCodeSize;
  const end = clear + 1;
  let size = minCodeSize + 1;
  let dict: number[][] = [];
  const reset = () => {
    dict = Array.from({ length: clear + 2 }, (_, i) => (i < clear ? [i] : []));
    size = minCodeSize + 1;
  };
  reset();
  let bit = 0;
  let prev: number[] | null = null;
  let n = 0;
  while (bit + size <= data.length * 8) {
    let code = 0;
    for (let i = 0; i < size; i++, bit++) code |= ((data[bit >> 3] >> (bit & 7)) & 1) << i;
    if (code === clear) {
      reset();
      prev = null;
      continue;
    }
    if (code === end) break;
    let entry: number[];
    if (code < dict.length) entry = dict[code];
    else if (prev) entry = [...prev, prev[0]];
    else throw new Error("bad LZW stream");
    for (const v of entry) if (n < pixelCount) out[n++] = v;
    if (prev && dict.length < 4096) dict.push([...prev, entry[0]]);
    prev = entry;
    if (dict.length === 1 << size && size < 12) size++;
  }
  if (n !== pixelCount) throw new Error(`LZW gave ${n} pixels, want ${pixelCount}`);
  return out;
}

function readPalette(bytes: Uint8Array, at: number, packed: number): { palette: number[][]; next: number } {
  const count = 2 << (packed & 7);
  const palette = Array.from({ length: count }, (_, i) => [bytes[at + 3 * i], bytes[at + 3 * i + 1], bytes[at + 3 * i + 2]]);
  return { palette, next: at + 3 * count };
}

export function parseGif(bytes: Uint8Array): ParsedGif {
  const version = String.fromCharCode(...bytes.subarray(0, 6));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const gif: ParsedGif = {
    version,
    width: view.getUint16(6, true),
    height: view.getUint16(8, true),
    globalPalette: null,
    loopCount: null,
    frames: [],
  };
  let at = 13;
  if (bytes[10] & 0x80) ({ palette: gif.globalPalette, next: at } = readPalette(bytes, at, bytes[10]));
  let delayCs = 0;
  for (;;) {
    const block = bytes[at];
    if (block === 0x3b) return gif;
    if (block === 0x21) {
      const label = bytes[at + 1];
      const { data, next } = readSubBlocks(bytes, at + 2);
      if (label === 0xf9) delayCs = data[1] | (data[2] << 8);
      // Application extension: "NETSCAPE2.0" then the loop sub-block [1, count lo, count hi].
      if (label === 0xff && String.fromCharCode(...data.subarray(0, 11)) === "NETSCAPE2.0") {
        gif.loopCount = data[12] | (data[13] << 8);
      }
      at = next;
    } else if (block === 0x2c) {
      const left = view.getUint16(at + 1, true);
      const top = view.getUint16(at + 3, true);
      const width = view.getUint16(at + 5, true);
      const height = view.getUint16(at + 7, true);
      const packed = bytes[at + 9];
      at += 10;
      if (packed & 0x80) at = readPalette(bytes, at, packed).next;
      if (packed & 0x40) throw new Error("interlaced frames are not supported here");
      const minCodeSize = bytes[at];
      const { data, next } = readSubBlocks(bytes, at + 1);
      gif.frames.push({ left, top, width, height, delayCs, indices: lzwDecode(data, minCodeSize, width * height) });
      at = next;
    } else {
      throw new Error(`unexpected GIF block 0x${block?.toString(16)} at ${at}`);
    }
  }
}
