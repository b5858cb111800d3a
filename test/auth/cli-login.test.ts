// The CLI's login for --url against a server in login mode, against the real route handlers.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import * as loginRoute from "@/app/api/auth/login/route";
import { resetLoginLimits } from "@/lib/auth/login";
import { loginFetch } from "@/lib/runner/cli/login";
import { proxy } from "@/proxy";

/** A fetch that serves the login route and, behind the interceptor, a stand-in API that answers 200. */
const server: typeof fetch = async (input, init) => {
  const req = new NextRequest(String(input), init as ConstructorParameters<typeof NextRequest>[1]);
  if (req.nextUrl.pathname === "/api/auth/login") return loginRoute.POST(req);
  const gate = await proxy(req);
  return gate.headers.get("x-middleware-next") === "1" ? Response.json({ ok: true }) : gate;
};

beforeEach(() => {
  process.env.ZOETROPE_PASSWORD = "pw";
  resetLoginLimits();
});
afterEach(() => {
  delete process.env.ZOETROPE_PASSWORD;
});

describe("loginFetch", () => {
  it("logs in and sends the session cookie with every request", async () => {
    expect((await server("http://127.0.0.1:3000/api/runs")).status).toBe(401);
    const f = await loginFetch("http://127.0.0.1:3000/", "pw", server);
    const res = await f("http://127.0.0.1:3000/api/runs", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(200);
  });

  it("fails with the server's message for a wrong password", async () => {
    await expect(loginFetch("http://127.0.0.1:3000", "nope", server)).rejects.toThrow(/401 wrong password/);
  });

  it("uses the plain fetch when the server has no password", async () => {
    delete process.env.ZOETROPE_PASSWORD;
    expect(await loginFetch("http://127.0.0.1:3000", "pw", server)).toBe(server);
  });
});
