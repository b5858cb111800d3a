// What the request interceptor (proxy.ts) decides for each request: let it through, refuse a cross-origin write,
// or — in login mode, without a valid session — send a page to the login form and answer an API call with 401.
import { crossOriginWrite, isSafeMethod } from "./csrf";
import { loginRequired, sessionToken, verifySession } from "./session";

export type GateDecision =
  | { kind: "pass" }
  | { kind: "redirect"; location: string }
  | { kind: "refuse"; status: 401 | 403; code: "unauthorized" | "forbidden"; message: string };

/**
 * Reachable without a session: shared links and the data they serve (each checks its own grant), the login form
 * and its API, and the build's static files (scripts and styles carry no data). Everything else needs a login.
 */
export function isPublicPath(pathname: string): boolean {
  return (
    pathname.startsWith("/s/") ||
    pathname === "/login" ||
    pathname === "/api/auth/login" ||
    pathname === "/api/auth/logout" ||
    pathname.startsWith("/_next/static/") ||
    pathname === "/icon.svg" ||
    pathname === "/favicon.ico"
  );
}

const HERE = "http://here.invalid";

/**
 * Where the login form sends a person back to: a path of this site only. Parsed the way a browser will read it, so
 * that `//host`, `/\host` and `/<tab>/host` (browsers drop tabs and newlines from URLs) cannot lead elsewhere.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/")) return "/";
  try {
    const url = new URL(next, HERE);
    return url.origin === HERE ? url.pathname + url.search + url.hash : "/";
  } catch {
    return "/";
  }
}

export function gate(req: Request, now = Date.now()): GateDecision {
  const reason = crossOriginWrite(req);
  if (reason) return { kind: "refuse", status: 403, code: "forbidden", message: `cross-origin write refused: ${reason}` };
  if (!loginRequired()) return { kind: "pass" };
  const url = new URL(req.url);
  if (isPublicPath(url.pathname) || verifySession(sessionToken(req), now)) return { kind: "pass" };
  if (url.pathname.startsWith("/api/") || !isSafeMethod(req.method)) {
    return { kind: "refuse", status: 401, code: "unauthorized", message: "log in first: this server needs a password" };
  }
  return { kind: "redirect", location: `/login?next=${encodeURIComponent(url.pathname + url.search)}` };
}
