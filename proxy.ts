// Runs before every route (Next 16's request interceptor): refuses what Next itself would answer with a 500 (a path
// it cannot decode, a malformed form posted to a page), CSRF checks on writes, and the login wall when
// ZOETROPE_PASSWORD is set. The decisions live in lib/api/guard.ts and lib/auth/gate.ts; this file only turns them
// into responses.
import { NextResponse, type NextRequest } from "next/server";
import { pageFormError, pathEncodingError } from "@/lib/api/guard";
import { gate } from "@/lib/auth/gate";
import type { ApiError } from "@/lib/tracker/errors";

function refuse(status: number, code: string, message: string): Response {
  return NextResponse.json({ error: { code, message } }, { status, headers: { "Cache-Control": "no-store" } });
}

const refuseWith = (err: ApiError) => refuse(err.status, err.code, err.message);

export async function proxy(request: NextRequest): Promise<Response> {
  // The path as sent: nextUrl may already be normalised.
  const pathname = new URL(request.url).pathname;
  const badPath = pathEncodingError(pathname);
  if (badPath) return refuseWith(badPath);
  const decision = gate(request);
  switch (decision.kind) {
    case "redirect":
      return NextResponse.redirect(new URL(decision.location, request.url), 307);
    case "refuse":
      return refuse(decision.status, decision.code, decision.message);
    case "pass":
      break;
  }
  const badForm = await pageFormError(request, pathname);
  if (badForm) return refuseWith(badForm);
  return NextResponse.next();
}

export const config = {
  // The build's static chunks never need a check; skipping them saves a function call per script. Everything
  // else, the image optimizer included (it fetches app URLs on a caller's behalf), goes through the gate.
  matcher: ["/((?!_next/static/).*)"],
};
