// Joining a body or a file read in chunks.

/** The chunks as one array of `size` bytes (their total); a single chunk is returned as it is, not copied. */
export function concatBytes<T extends ArrayBufferLike>(parts: Uint8Array<T>[], size: number): Uint8Array<T | ArrayBuffer> {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
