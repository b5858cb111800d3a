// Tiny but well-formed media files built in code, so upload tests need no binary fixtures on disk.

/** A GIF89a of `frames` frames with no colour tables beyond a 2-entry global one. */
export function gif(width: number, height: number, frames: number): Uint8Array<ArrayBuffer> {
  const bytes: number[] = [...Buffer.from("GIF89a")];
  bytes.push(width & 0xff, width >> 8, height & 0xff, height >> 8, 0x80, 0, 0); // GCT flag, 2 colours
  bytes.push(0, 0, 0, 255, 255, 255);
  for (let f = 0; f < frames; f++) {
    bytes.push(0x21, 0xf9, 4, 0, 10, 0, 0, 0); // graphic control extension (delay 10)
    bytes.push(0x2c, 0, 0, 0, 0, width & 0xff, width >> 8, height & 0xff, height >> 8, 0);
    bytes.push(2, 2, 0x4c, 0x01, 0); // LZW min code 2, one sub-block, terminator
  }
  bytes.push(0x3b);
  return Uint8Array.from(bytes);
}

/** A PNG signature + IHDR (+ optional acTL) + IEND; enough for sniffing (no pixel data is decoded). */
export function png(width: number, height: number, apngFrames?: number): Uint8Array<ArrayBuffer> {
  const chunk = (type: string, data: number[]) => {
    const len = data.length;
    return [len >>> 24, (len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff, ...Buffer.from(type), ...data, 0, 0, 0, 0];
  };
  const u32 = (v: number) => [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
  return Uint8Array.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
    ...chunk("IHDR", [...u32(width), ...u32(height), 8, 0, 0, 0, 0]),
    ...(apngFrames ? chunk("acTL", [...u32(apngFrames), ...u32(0)]) : []),
    ...chunk("IEND", []),
  ]);
}

/** An MP4 that starts like a real one: an ftyp box (isom brand) then filler. */
export function mp4(size = 4096): Uint8Array<ArrayBuffer> {
  const b = new Uint8Array(size);
  b.set([0, 0, 0, 0x18, ...Buffer.from("ftypisom"), 0, 0, 2, 0, ...Buffer.from("isomiso2")]);
  for (let i = 24; i < size; i++) b[i] = i % 251; // distinct bytes so a range read is checkable
  return b;
}

/** An EBML header with DocType webm. */
export function webm(): Uint8Array<ArrayBuffer> {
  return Uint8Array.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 1, 0x42, 0x82, 0x84, ...Buffer.from("webm"), 0, 0]);
}
