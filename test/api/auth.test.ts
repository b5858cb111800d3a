// POST /api/auth/login and /api/auth/logout in login mode, called in-process as Next would.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as loginRoute from "@/app/api/auth/login/route";
import * as logoutRoute from "@/app/api/auth/logout/route";
import { resetLoginLimits } from "@/lib/auth/login";
import { SESSION_COOKIE, verifySession } from "@/lib/auth/session";
import { proxy } from "@/proxy";
import { NextRequest } from "next/server";

const PASSWORD = "s3cret-Pa55";

function loginReq(password: unknown, headers: Record<string, string> = {}) {
  return new Request("http://127.0.0.1:3000/api/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": "10.0.0.1", ...headers },
    body: JSON.stringify({ password }),
  });
}

const cookieOf = (res: Response) => res.headers.get("set-cookie") ?? "";
const tokenIn = (setCookie: string) => new RegExp(`^${SESSION_COOKIE}=([^;]*)`).exec(setCookie)?.[1];

beforeEach(() => {
  process.env.ZOETROPE_PASSWORD = PASSWORD;
  resetLoginLimits();
});
afterEach(() => {
  delete process.env.ZOETROPE_PASSWORD;
});

describe("POST /api/auth/login", () => {
  it("sets an HttpOnly, SameSite=Lax, Path=/ session cookie for the right password", async () => {
    const res = await loginRoute.POST(loginReq(PASSWORD));
    expect(res.status).toBe(204);
    const cookie = cookieOf(res);
    const attrs = cookie.split(";").map((p) => p.trim());
    expect(attrs).toEqual(expect.arrayContaining(["Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${7 * 24 * 3600}`]));
    expect(attrs).not.toContain("Secure"); // plain HTTP: a Secure cookie would be dropped
    const token = tokenIn(cookie)!;
    expect(token).toMatch(/^[0-9a-z]+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(verifySession(token)).toBe(true);
    expect(cookie).not.toContain(PASSWORD);

    // The cookie opens the API through the interceptor.
    const api = new NextRequest("http://127.0.0.1:3000/api/runs", { headers: { cookie: `${SESSION_COOKIE}=${token}` } });
    expect((await proxy(api)).headers.get("x-middleware-next")).toBe("1");
  });

  it("marks the cookie Secure behind an HTTPS reverse proxy", async () => {
    const res = await loginRoute.POST(loginReq(PASSWORD, { "x-forwarded-proto": "https" }));
    expect(cookieOf(res)).toMatch(/; Secure$/);
  });

  it("answers 401 for a wrong password, then 429 with Retry-After after 5 failures in a minute", async () => {
    for (let i = 0; i < 5; i++) {
      const res = await loginRoute.POST(loginReq("guess" + i));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "wrong password" } });
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    const limited = await loginRoute.POST(loginReq("guess5"));
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.code).toBe("rate_limited");
    const retry = Number(limited.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    // Locked out means locked out: the right password does not get in either, so guessing gains nothing.
    expect((await loginRoute.POST(loginReq(PASSWORD))).status).toBe(429);
    // Another client is not locked out by this one.
    expect((await loginRoute.POST(loginReq(PASSWORD, { "x-forwarded-for": "10.0.0.2" }))).status).toBe(204);
  });

  it("caps failures from all clients together, however many addresses they claim", async () => {
    let status = 0;
    let tries = 0;
    for (; tries < 100 && status !== 429; tries++) {
      status = (await loginRoute.POST(loginReq("guess", { "x-forwarded-for": `10.1.${tries}.1` }))).status;
    }
    expect(status).toBe(429);
    expect(tries).toBe(31);
  });

  it("answers 422 for a body without a password and 404 when login mode is off", async () => {
    expect((await loginRoute.POST(loginReq(undefined))).status).toBe(422);
    delete process.env.ZOETROPE_PASSWORD;
    const res = await loginRoute.POST(loginReq(PASSWORD));
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe("login_disabled");
  });
});

describe("POST /api/auth/logout", () => {
  it("clears the cookie and ends the session even where a copy of the cookie survives", async () => {
    const token = tokenIn(cookieOf(await loginRoute.POST(loginReq(PASSWORD))))!;
    const res = await logoutRoute.POST(
      new Request("http://127.0.0.1:3000/api/auth/logout", { method: "POST", headers: { cookie: `${SESSION_COOKIE}=${token}` } }),
    );
    expect(res.status).toBe(204);
    expect(cookieOf(res)).toMatch(new RegExp(`^${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`));
    expect(verifySession(token)).toBe(false);
  });

  it("answers 204 without a session too", async () => {
    const res = await logoutRoute.POST(new Request("http://127.0.0.1:3000/api/auth/logout", { method: "POST" }));
    expect(res.status).toBe(204);
  });
});
