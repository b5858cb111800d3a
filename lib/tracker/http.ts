// Request and response plumbing shared by the route handlers: bounded body reading, JSON parsing, error mapping.
import { z } from "zod";
import { concatBytes } from "./bytes";
import { ApiError, errorResponse, fromZod, tooLarge } from "./errors";
import { parseJsonText } from "./json-input";
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
 * The body's chunks as they arrive, refused with 413 as soon as it passes `limit`: first from Content-Length (before
 * reading anything), then while streaming, since a chunked body has no declared length.
 */
export async function* bodyChunks(req: Request, limit: number): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    throw tooLarge(`body of ${declared} bytes is over the limit of ${limit} bytes`);
  }
  if (!req.body) return;
  const reader = req.body.getReader();
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      size += value.byteLength;
      if (size > limit) throw tooLarge(`body is over the limit of ${limit} bytes`);
      // Stream chunks are plain ArrayBuffer-backed; the type only says ArrayBufferLike.
      yield value as Uint8Array<ArrayBuffer>;
    }
  } finally {
    // Stopped early (over the limit, or the reader gave up): release the stream.
    await reader.cancel().catch(() => undefined);
  }
}

/** Reads the whole body with bodyChunks' limits. */
export async function readBody(req: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let size = 0;
  for await (const part of bodyChunks(req, limit)) {
    parts.push(part);
    size += part.byteLength;
  }
  return concatBytes(parts, size);
}

const decoder = new TextDecoder();

/**
 * Parses a JSON body; never a 500: malformed JSON, nesting past MAX_JSON_DEPTH and unpaired surrogates are 400s,
 * a `__proto__` key is a 422 (json-input.ts). Numbers may be infinite (1e999), as a metric batch's values can be,
 * unless `finite` refuses them (422).
 */
export async function readJson(req: Request, limit = JSON_BODY_BYTES, opts: { finite?: boolean } = {}): Promise<unknown> {
  return parseJsonText(decoder.decode(await readBody(req, limit)), "", opts);
}

/**
 * Reads a JSON body and validates it with a zod schema (422 with the issues on failure). Its numbers must be ones
 * JSON can hold: 1e999 in hyperparameters would be stored as null.
 */
export async function readJsonAs<S extends z.ZodType>(req: Request, schema: S, limit = JSON_BODY_BYTES): Promise<z.output<S>> {
  return parseWith(schema, await readJson(req, limit, { finite: true }));
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

/** The methods a route file answers or refuses itself; Next answers HEAD from GET on its own. */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

type Handler = (req: Request) => Promise<Response>;

/**
 * Handlers for the methods a route does not answer, which its file exports beside its own: 405 in the API's JSON
 * shape (Next's own 405 has an empty body), and OPTIONS naming only the methods it does answer (Next's would list
 * every exported one). `export const { PUT, DELETE, OPTIONS } = otherMethods("GET", "POST");`
 */
export function otherMethods(...allowed: Method[]): Record<Method | "OPTIONS", Handler> {
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const refuse: Handler = async (req) => {
    const message = `${req.method} is not allowed here; this path takes ${allowed.join(", ")}`;
    const res = errorResponse(new ApiError(405, "method_not_allowed", message));
    res.headers.set("Allow", allow);
    return res;
  };
  const options: Handler = async () => new Response(null, { status: 204, headers: { Allow: allow } });
  return { GET: refuse, POST: refuse, PUT: refuse, PATCH: refuse, DELETE: refuse, OPTIONS: options };
}
