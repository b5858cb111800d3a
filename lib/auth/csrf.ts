// Cross-site request forgery: a write must come from a page of this very origin. SameSite=Lax keeps the session
// cookie off cross-site POSTs, but "site" ignores the port: another server on 127.0.0.1 or the LAN host is the same
// site. So every non-GET request is also checked here, with or without login mode (a local server without a
// password is just as open to a page the browser happens to show).

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const isSafeMethod = (method: string) => SAFE_METHODS.has(method.toUpperCase());

/**
 * A reason to refuse, or null. Browsers send Sec-Fetch-Site and, on writes, Origin: either one naming another
 * origin is refused. Requests with neither come from programs (the CLI, curl), which no web page can make a
 * browser send; they still need the session cookie in login mode.
 */
export function crossOriginWrite(req: Request): string | null {
  return isSafeMethod(req.method) ? null : crossOriginRequest(req);
}

/** The same check for any method: for what must not even be read from another origin (a server kernel's events). */
export function crossOriginRequest(req: Request): string | null {
  const site = req.headers.get("sec-fetch-site");
  if (site !== null && site !== "same-origin" && site !== "none") return `Sec-Fetch-Site is ${site}`;
  const origin = req.headers.get("origin");
  if (origin === null) return null;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? new URL(req.url).host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `Origin ${origin} is not a URL`;
  }
  return originHost === host ? null : `Origin ${origin} is not this server`;
}
