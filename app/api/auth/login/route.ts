import { login, loginBody } from "@/lib/auth/login";
import { isHttps, sessionCookie } from "@/lib/auth/session";
import { ApiError, errorResponse } from "@/lib/tracker/errors";
import { otherMethods, readJsonAs } from "@/lib/tracker/http";

/**
 * {password} → 204 with the session cookie (HttpOnly, SameSite=Lax, Path=/, a week). 401 for a wrong password,
 * 429 with Retry-After after 5 failures in a minute, 404 when the server has no password (login mode off).
 */
export async function POST(req: Request): Promise<Response> {
  try {
    const { password } = await readJsonAs(req, loginBody);
    const now = Date.now(); // one clock reading: the cookie's Max-Age is then exactly the session's lifetime
    const { token, expires } = login(req, password, now);
    return new Response(null, {
      status: 204,
      headers: { "Set-Cookie": sessionCookie(token, expires, isHttps(req), now), "Cache-Control": "no-store" },
    });
  } catch (err) {
    const res = errorResponse(err);
    if (err instanceof ApiError && err.status === 429) res.headers.set("Retry-After", String(err.details?.retryAfterS ?? 60));
    return res;
  }
}

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
