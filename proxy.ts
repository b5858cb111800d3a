// Runs before every route (Next 16's request interceptor): CSRF checks on writes, and the login wall when
// ZOETROPE_PASSWORD is set. The decisions live in lib/auth/gate.ts; this file only turns them into responses.
import { NextResponse, type NextRequest } from "next/server";
import { gate } from "@/lib/auth/gate";

export function proxy(request: NextRequest): Response {
  const decision = gate(request);
  switch (decision.kind) {
    case "pass":
      return NextResponse.next();
    case "redirect":
      return NextResponse.redirect(new URL(decision.location, request.url), 307);
    case "refuse":
      return NextResponse.json(
        { error: { code: decision.code, message: decision.message } },
        { status: decision.status, headers: { "Cache-Control": "no-store" } },
      );
  }
}

export const config = {
  // The build's static chunks never need a check; skipping them saves a function call per script. Everything
  // else, the image optimizer included (it fetches app URLs on a caller's behalf), goes through the gate.
  matcher: ["/((?!_next/static/).*)"],
};
