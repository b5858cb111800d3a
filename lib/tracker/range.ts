// Serves a stored file with HTTP Range support: <video> seeks with byte ranges and Safari refuses to play without.
import fs from "node:fs";
import { Readable } from "node:stream";
import { ApiError, errorResponse, notFound } from "./errors";

export type ByteRange = { start: number; end: number };

/**
 * One `bytes=` range of a file of `size` bytes (end inclusive). null: no usable Range header, serve it all
 * (other units, several ranges, or garbage — RFC 9110 lets a server ignore those). "unsatisfiable": a well-formed
 * range that selects nothing or runs backwards, answered with 416.
 */
export function parseRange(header: string | null, size: number): ByteRange | "unsatisfiable" | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/i.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Number(m[2]);
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end: Math.min(end, size - 1) };
}

export interface ServeOptions {
  mime: string;
  /** for the 404 message if the file has gone */
  what: string;
}

/** The file as a response: 200 whole, 206 for a range, 416 for an unsatisfiable one. HEAD gets headers only. */
export async function serveFile(req: Request, file: string, opts: ServeOptions): Promise<Response> {
  let size: number;
  try {
    size = (await fs.promises.stat(file)).size;
  } catch {
    throw notFound(opts.what, "file");
  }
  const headers = new Headers({
    "Content-Type": opts.mime,
    "X-Content-Type-Options": "nosniff",
    "Accept-Ranges": "bytes",
    // Stored files are never rewritten: an id always names the same bytes.
    "Cache-Control": "private, max-age=31536000, immutable",
  });
  const range = parseRange(req.headers.get("range"), size);
  if (range === "unsatisfiable") {
    // An error like any other (the API's JSON shape), with the size a client needs to ask again.
    const res = errorResponse(new ApiError(416, "range_not_satisfiable", `the range selects no byte of the ${size} bytes`));
    res.headers.set("Content-Range", `bytes */${size}`);
    return res;
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  headers.set("Content-Length", String(Math.max(0, end - start + 1)));
  if (range) headers.set("Content-Range", `bytes ${start}-${end}/${size}`);
  const status = range ? 206 : 200;
  if (req.method === "HEAD" || size === 0) return new Response(null, { status, headers });
  // Streamed, so a large file never sits in memory. (Next 16 drops Content-Length from route responses and sends
  // them chunked; Content-Range still gives a player the total size.)
  const stream = Readable.toWeb(fs.createReadStream(file, { start, end })) as unknown as ReadableStream<Uint8Array>;
  return new Response(stream, { status, headers });
}
