// The request methods the app takes, and the answer scripts/server.js gives any other before Next sees the request.
// Next builds a WHATWG Request for every request (for proxy.ts and the route handlers) and Node's Request refuses
// TRACE, TRACK and CONNECT: Next answers TRACE with a plain-text 500 (TRACK is refused earlier by Node's parser, with
// an empty 400; CONNECT's connection Node closes unanswered). Other methods (PROPFIND, QUERY, …) reach the route
// handlers, which answer them with an empty 400, and the pages, which render as for GET. The app takes none of them:
// each gets a 405, in the API's JSON shape on the API's paths. Plain JavaScript, so that the server runs without a
// build step; tested by test/scripts/method-guard.test.ts.
import { Buffer } from "node:buffer";
import { STATUS_CODES } from "node:http";

/** Every method some path of the app answers; OPTIONS on a path names the ones that path takes. */
export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const ALLOW = METHODS.join(", ");

/** Paths whose answers are the API's JSON: /api/… and a share link's data under /s/<token>/api/… (as lib/api/guard.ts). */
export function isApiPath(pathname) {
  return pathname === "/api" || pathname.startsWith("/api/") || /^\/s\/[^/]+\/api(\/|$)/.test(pathname);
}

/** The path of a request target: `/a/b?c` and `http://host/a/b` give `/a/b`; `*` and `host:443` give "". */
export function targetPath(target) {
  let pathname = "";
  if (target.startsWith("/")) pathname = target.replace(/[?#].*$/s, "");
  else if (URL.canParse(target) && /^https?:/i.test(target)) pathname = new URL(target).pathname;
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname; // not decodable: proxy.ts would answer 400 malformed_path for a method the app takes
  }
}

/**
 * The answer to a request with this method and target, or null for a method the app takes (the request goes on to
 * Next). The answer is a 405 with `Allow`: JSON `{error: {code: "method_not_allowed", message}}` on the API's paths,
 * a line of text elsewhere.
 */
export function methodRefusal(method, target) {
  if (METHODS.includes(method)) return null;
  const message = `${method} is not supported by this server; it takes ${ALLOW}`;
  const api = isApiPath(targetPath(target));
  const body = api ? JSON.stringify({ error: { code: "method_not_allowed", message } }) : `405 Method Not Allowed: ${message}\n`;
  return {
    status: 405,
    headers: {
      "Content-Type": api ? "application/json" : "text/plain; charset=utf-8",
      "Content-Length": String(Buffer.byteLength(body)),
      Allow: ALLOW,
      "Cache-Control": "no-store",
    },
    body,
  };
}

/** An answer as HTTP/1.1 bytes, for a socket Node hands over without a response object; the connection then closes. */
export function rawResponse({ status, headers, body }, date = new Date()) {
  const fields = { ...headers, Date: date.toUTCString(), Connection: "close" };
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status]}`, ...Object.entries(fields).map(([k, v]) => `${k}: ${v}`)];
  return `${lines.join("\r\n")}\r\n\r\n${body}`;
}

/** The method and target of a complete request line at the start of `bytes` (in its first 8 KB), or null. */
export function requestLine(bytes) {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 8192)).toString("latin1");
  const match = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([!-~]+) HTTP\/1\.[01]\r?\n/.exec(head);
  return match ? { method: match[1], target: match[2] } : null;
}

// Node's own answers to a request its parser refuses (lib/_http_server.js), kept for every error but a method.
const PARSER_STATUS = { HPE_HEADER_OVERFLOW: 431, HPE_CHUNK_EXTENSIONS_OVERFLOW: 413, ERR_HTTP_REQUEST_TIMEOUT: 408 };

/**
 * What to write to a connection whose request Node's HTTP parser refused (the server's `clientError`, with the
 * parser's error: `code`, and `rawPacket`, the bytes it was reading). A well-formed request line with a method the
 * parser does not know (TRACK, or any other token) gets the same 405 as methodRefusal's; every other error Node's
 * own answer (400, or 408, 413, 431).
 */
export function clientErrorResponse(err) {
  const line = err.code === "HPE_INVALID_METHOD" && err.rawPacket ? requestLine(err.rawPacket) : null;
  const refusal = line && methodRefusal(line.method, line.target);
  if (refusal) return rawResponse(refusal);
  const status = PARSER_STATUS[err.code] ?? 400;
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`;
}
