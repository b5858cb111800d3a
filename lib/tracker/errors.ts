// Every failure the API reports has the same shape: {error: {code, message, issues?, ...details}} with a fitting
// HTTP status. Details are what a client needs to act on the failure, e.g. the current state after a conflict.
import { ZodError } from "zod";

export interface ApiIssue {
  path: string;
  message: string;
}

export interface ApiErrorBody {
  error: { code: string; message: string; issues?: ApiIssue[]; [detail: string]: unknown };
}

/** An expected failure: bad input, a missing record, a conflict. Thrown anywhere below a route handler. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: ApiIssue[],
    /** Extra fields of the error body, beside code and message. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export const notFound = (what: string, id: string) => new ApiError(404, "not_found", `${what} ${id} not found`);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new ApiError(409, "conflict", message, undefined, details);
export const tooLarge = (message: string) => new ApiError(413, "payload_too_large", message);
export const unsupportedMedia = (message: string) => new ApiError(415, "unsupported_media_type", message);
export const invalid = (message: string, issues?: ApiIssue[]) =>
  new ApiError(422, "invalid_input", message, issues);

export function fromZod(err: ZodError): ApiError {
  const issues = err.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  const first = issues[0];
  return invalid(first ? `${first.path || "body"}: ${first.message}` : "invalid input", issues);
}

// Prisma's known request errors, recognised by code so this module does not import the generated client.
function fromPrisma(err: { code: string; message: string }): ApiError | null {
  switch (err.code) {
    case "P2025": // record to update or delete does not exist
      return new ApiError(404, "not_found", "record not found");
    case "P2002":
      return conflict("a record with this unique value already exists");
    case "P2003": // foreign key: the parent disappeared meanwhile
      return new ApiError(404, "not_found", "the record this refers to does not exist");
    default:
      return null;
  }
}

// PostgreSQL refuses text it cannot encode (a NUL in a path segment or query, which JSON bodies never get this far
// with): 22021 invalid byte sequence, 22P05 untranslatable character. As pg raises it, or wrapped by Prisma's adapter.
function isUnstorableText(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { originalCode?: unknown } };
  const code = e.cause?.originalCode ?? e.code;
  return code === "22021" || code === "22P05";
}

function isBusy(err: unknown): boolean {
  const text = err instanceof Error ? `${(err as { code?: unknown }).code ?? ""} ${err.message}` : "";
  return /SQLITE_BUSY|database is locked/.test(text);
}

/** Maps anything thrown to an ApiError; unknown errors become a 500 that hides internals. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ZodError) return fromZod(err);
  if (err && typeof err === "object" && typeof (err as { code?: unknown }).code === "string") {
    const mapped = fromPrisma(err as { code: string; message: string });
    if (mapped) return mapped;
  }
  if (isBusy(err)) return new ApiError(503, "busy", "the database is busy; retry shortly");
  if (isUnstorableText(err)) return new ApiError(400, "malformed_text", "text with a NUL character (U+0000) cannot be stored or looked up");
  return new ApiError(500, "internal", "internal error");
}

export function errorResponse(err: unknown): Response {
  const api = toApiError(err);
  if (api.status >= 500 && api.code === "internal") console.error(err);
  // Details sit after code and message and cannot replace them (nor the issues).
  const { code: _code, message: _message, issues: _issues, ...details } = api.details ?? {};
  const body: ApiErrorBody = { error: { code: api.code, message: api.message, ...details } };
  if (api.issues) body.error.issues = api.issues;
  const headers: Record<string, string> = {};
  if (api.status === 503) headers["Retry-After"] = "1";
  return Response.json(body, { status: api.status, headers });
}
