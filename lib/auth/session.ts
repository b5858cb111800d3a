// Login mode: when ZOETROPE_PASSWORD is set, a person logs in once and carries a signed session cookie.
//
// The cookie is `<expiry>.<nonce>.<mac>`: an expiry (ms, base 36), 128 random bits, and an HMAC-SHA256 of both under
// a key derived from the password and a salt drawn at random when the server starts. Nothing is stored per session:
//  - restarting the server (new salt) or changing the password (new key) ends every session at once;
//  - the salt is 256 random bits that never leave the process, so the low-entropy password cannot be brute-forced
//    from a cookie;
//  - logging out records the nonce in a small in-memory list until its expiry, so a copied cookie stops working too.
// The state lives on globalThis: the request interceptor (proxy.ts) and the route handlers are bundled separately
// but run in the same Node process, and must see the same salt.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "zoetrope_session";
/** A week: long enough not to log in daily, short enough that a forgotten browser does not stay in for good. */
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

const TOKEN_SHAPE = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

interface AuthState {
  salt: Buffer;
  /** nonce → expiry (ms) of sessions ended by logout */
  loggedOut: Map<string, number>;
}

const STATE = Symbol.for("zoetrope.auth.state");

function state(): AuthState {
  const g = globalThis as typeof globalThis & { [STATE]?: AuthState };
  g[STATE] ??= { salt: randomBytes(32), loggedOut: new Map() };
  return g[STATE];
}

/** The configured password, or null when login mode is off. */
export function configuredPassword(): string | null {
  const pw = process.env.ZOETROPE_PASSWORD;
  return pw ? pw : null;
}

export const loginRequired = (): boolean => configuredPassword() !== null;

// Domain-separated MACs: the password check and the session key never share an input.
const mac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data, "utf8").digest();

function sessionKey(password: string): Buffer {
  return mac(state().salt, `session-key\0${password}`);
}

/** Compares in constant time: both sides are MACs of the same length whatever was typed. */
export function checkPassword(given: string): boolean {
  const password = configuredPassword();
  if (password === null) return false;
  const { salt } = state();
  return timingSafeEqual(mac(salt, `password\0${given}`), mac(salt, `password\0${password}`));
}

export function issueSession(now = Date.now()): { token: string; expires: number } {
  const password = configuredPassword();
  if (password === null) throw new Error("login mode is off: ZOETROPE_PASSWORD is not set");
  const expires = now + SESSION_TTL_MS;
  const body = `${expires.toString(36)}.${randomBytes(16).toString("base64url")}`;
  return { token: `${body}.${mac(sessionKey(password), body).toString("base64url")}`, expires };
}

interface Parsed {
  expires: number;
  nonce: string;
}

function parse(token: string | undefined, now: number): Parsed | null {
  const password = configuredPassword();
  const m = token && password !== null ? TOKEN_SHAPE.exec(token) : null;
  if (!m) return null;
  const [, exp, nonce, sig] = m;
  const expected = mac(sessionKey(password!), `${exp}.${nonce}`);
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const expires = parseInt(exp, 36);
  if (!(expires > now) || state().loggedOut.has(nonce)) return null;
  return { expires, nonce };
}

/** True for a cookie this server issued, not expired and not logged out. */
export function verifySession(token: string | undefined, now = Date.now()): boolean {
  return parse(token, now) !== null;
}

/** Ends a session for good (until its expiry it is remembered as logged out). Unknown tokens are ignored. */
export function endSession(token: string | undefined, now = Date.now()): void {
  const session = parse(token, now);
  const { loggedOut } = state();
  for (const [nonce, expires] of loggedOut) if (expires <= now) loggedOut.delete(nonce);
  if (session) loggedOut.set(session.nonce, session.expires);
}

/** The Set-Cookie value; `secure` when the request came over HTTPS (a Secure cookie is dropped on plain HTTP). */
export function sessionCookie(token: string, expires: number, secure: boolean, now = Date.now()): string {
  const maxAge = Math.max(0, Math.floor((expires - now) / 1000));
  return `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/** Whether the browser reached us over HTTPS, directly or through a TLS-terminating reverse proxy. */
export function isHttps(req: Request): boolean {
  const forwarded = req.headers.get("x-forwarded-proto")?.split(",")[0].trim();
  return (forwarded ?? new URL(req.url).protocol.replace(/:$/, "")) === "https";
}

/** The session cookie's value in a request's Cookie header. */
export function sessionToken(req: Request): string | undefined {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}
