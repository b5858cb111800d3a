// Recognises an upload by its magic bytes (never by its name or declared type) and reads what the header tells.

export interface MediaInfo {
  mime: "video/mp4" | "video/webm" | "image/gif" | "image/png";
  ext: "mp4" | "webm" | "gif" | "png";
  width?: number;
  height?: number;
  frames?: number;
}

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
const u16le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);

// ISO-BMFF brands of still images: an AVIF or HEIC file has `ftyp` too but is not a video.
const IMAGE_BRANDS = new Set(["avif", "avis", "heic", "heix", "heim", "heis", "mif1", "msf1"]);

/** The media type of `b`, or null when it is none of MP4, WebM, GIF, PNG (or its header is cut short). */
export function sniff(b: Uint8Array): MediaInfo | null {
  if (b.length >= 12 && ascii(b, 4, 4) === "ftyp") {
    return IMAGE_BRANDS.has(ascii(b, 8, 4)) ? null : { mime: "video/mp4", ext: "mp4" };
  }
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) {
    // EBML: WebM and Matroska share it; browsers play only the WebM doctype everywhere.
    return ascii(b, 0, 64).includes("webm") ? { mime: "video/webm", ext: "webm" } : null;
  }
  if (b.length >= 13 && (ascii(b, 0, 6) === "GIF87a" || ascii(b, 0, 6) === "GIF89a")) {
    return { mime: "image/gif", ext: "gif", width: u16le(b, 6), height: u16le(b, 8), frames: gifFrames(b) };
  }
  if (b.length >= 24 && ascii(b, 0, 8) === "\x89PNG\r\n\x1a\n" && ascii(b, 12, 4) === "IHDR") {
    return { mime: "image/png", ext: "png", width: u32be(b, 16), height: u32be(b, 20), frames: pngFrames(b) };
  }
  return null;
}

/** Counts image descriptors by walking the GIF's blocks; undefined if the structure is broken before any. */
function gifFrames(b: Uint8Array): number | undefined {
  let at = 13;
  if (b[10] & 0x80) at += 3 * (1 << ((b[10] & 7) + 1)); // global colour table
  let frames = 0;
  const skipSubBlocks = () => {
    while (at < b.length && b[at] !== 0) at += b[at] + 1;
    at += 1;
  };
  while (at < b.length) {
    const block = b[at];
    if (block === 0x3b) break; // trailer
    if (block === 0x21) {
      at += 2; // introducer + label
      skipSubBlocks();
    } else if (block === 0x2c) {
      if (at + 10 > b.length) break;
      const flags = b[at + 9];
      at += 10;
      if (flags & 0x80) at += 3 * (1 << ((flags & 7) + 1)); // local colour table
      at += 1; // LZW minimum code size
      skipSubBlocks();
      frames++;
    } else {
      break;
    }
  }
  return frames || undefined;
}

/** An APNG declares its frame count in acTL, before the first IDAT; a plain PNG is one frame. */
function pngFrames(b: Uint8Array): number {
  let at = 8;
  while (at + 12 <= b.length) {
    const length = u32be(b, at);
    const type = ascii(b, at + 4, 4);
    if (type === "acTL") return u32be(b, at + 8);
    if (type === "IDAT") break;
    at += 12 + length;
  }
  return 1;
}
