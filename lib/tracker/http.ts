// Request and response plumbing shared by the route handlers: bounded body reading, JSON parsing, error mapping.
import { z } from "zod";
import { ApiError, errorResponse, fromZod, tooLarge } from "./errors";
import { JSON_BODY_BYTES } from "./limits";

/** Route context as Next 16 passes it: params arrive as a promise. */
export interface RouteContext<P> {
  params: Promise<P>;
}

/** Wraps a handler so every thrown error, expected or not, becomes a JSON error response. */
export function route<P = Record<string, never>>(fn: (req: Request, params: P) => Promise<Response>) {
  return async (req: Request, ctx: RouteContext<P>): Promise<Response> => {
    try {
      return await fn(req, await ctx.params);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/**
 * Reads the whole body, refusing it with 413 as soon as it passes `limit`: first from Content-Length (before
 * reading anything), then while streaming, since a chunked body has no declared length.
 */
export async function readBody(req: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    throw tooLarge(`body of ${declared} bytes is over the limit of ${limit} bytes`);
  }
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(`body is over the limit of ${limit} bytes`);
    }
    parts.push(value);
  }
  // Stream chunks are plain ArrayBuffer-backed; the type only says ArrayBufferLike.
  if (parts.length === 1) return parts[0] as Uint8Array<ArrayBuffer>;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

const decoder = new TextDecoder();

/** Parses a JSON body; malformed JSON is a 400, never a 500. */
export async function readJson(req: Request, limit = JSON_BODY_BYTES): Promise<unknown> {
  const bytes = await readBody(req, limit);
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    throw new ApiError(400, "malformed_json", "the request body is not valid JSON");
  }
}

/** Reads a JSON body and validates it with a zod schema (422 with the issues on failure). */
export async function readJsonAs<S extends z.ZodType>(req: Request, schema: S, limit = JSON_BODY_BYTES): Promise<z.output<S>> {
  return parseWith(schema, await readJson(req, limit));
}

/** Parses a multipart/form-data (or urlencoded) body after the same size checks as readBody. */
export async function readForm(req: Request, limit: number): Promise<FormData> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data|^application\/x-www-form-urlencoded/i.test(type)) {
    throw new ApiError(415, "unsupported_media_type", "expected a multipart/form-data body");
  }
  const bytes = await readBody(req, limit);
  try {
    return await new Response(bytes, { headers: { "content-type": type } }).formData();
  } catch {
    throw new ApiError(400, "malformed_form", "the multipart body could not be parsed");
  }
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw fromZod(result.error);
  return result.data;
}

/** The query string as a plain object, for zod. */
export function query(req: Request): Record<string, string> {
  return Object.fromEntries(new URL(req.url).searchParams);
}

export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  return Response.json(data, { status, headers });
}
