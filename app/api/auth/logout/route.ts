import { clearedSessionCookie, endSession, isHttps, sessionToken } from "@/lib/auth/session";
import { otherMethods } from "@/lib/tracker/http";

/** Ends the session (its cookie stops working even if copied) and clears the cookie: 204, also without one. */
export async function POST(req: Request): Promise<Response> {
  endSession(sessionToken(req));
  return new Response(null, {
    status: 204,
    headers: { "Set-Cookie": clearedSessionCookie(isHttps(req)), "Cache-Control": "no-store" },
  });
}

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
