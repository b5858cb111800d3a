// POST /api/auth/login: the password check behind the login form, rate-limited per client address and overall.
import { z } from "zod";
import { ApiError } from "../tracker/errors";
import { FailureLimiter } from "./rate-limit";
import { checkPassword, issueSession, loginRequired } from "./session";

export const loginBody = z.object({ password: z.string().max(1024) });

interface Limiters {
  perClient: FailureLimiter;
  overall: FailureLimiter;
}

const LIMITERS = Symbol.for("zoetrope.auth.limiters");

/**
 * 5 failures a minute per client, 30 a minute in all. The client address comes from X-Forwarded-For, which a
 * client can set itself when it talks to the server directly; the overall cap bounds guessing even then.
 */
function limiters(): Limiters {
  const g = globalThis as typeof globalThis & { [LIMITERS]?: Limiters };
  g[LIMITERS] ??= { perClient: new FailureLimiter(5, 60_000), overall: new FailureLimiter(30, 60_000) };
  return g[LIMITERS];
}

/** Forgets every failure (tests start each case from a clean slate). */
export function resetLoginLimits(): void {
  const g = globalThis as typeof globalThis & { [LIMITERS]?: Limiters };
  delete g[LIMITERS];
}

export function clientAddress(req: Request): string {
  return req.headers.get("x-forwarded-for")?.split(",")[0].trim() || req.headers.get("x-real-ip") || "unknown";
}

const OVERALL = "*";

/** A new session for the right password; throws 401 for a wrong one and 429 (with retryAfterS) past the limit. */
export function login(req: Request, password: string, now = Date.now()): { token: string; expires: number } {
  if (!loginRequired()) throw new ApiError(404, "login_disabled", "login is off: the server has no ZOETROPE_PASSWORD");
  const { perClient, overall } = limiters();
  const client = clientAddress(req);
  const limited = perClient.check(client, now) ?? overall.check(OVERALL, now);
  if (limited) {
    throw new ApiError(429, "rate_limited", `too many failed logins; retry in ${limited.retryAfterS} s`, undefined, {
      retryAfterS: limited.retryAfterS,
    });
  }
  if (!checkPassword(password)) {
    perClient.fail(client, now);
    overall.fail(OVERALL, now);
    throw new ApiError(401, "unauthorized", "wrong password");
  }
  perClient.clear(client);
  return issueSession(now);
}
