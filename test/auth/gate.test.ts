// The request interceptor: CSRF checks on writes always, and the login wall only when ZOETROPE_PASSWORD is set.
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { proxy } from "@/proxy";
import { safeNext } from "@/lib/auth/gate";
import { SESSION_COOKIE, endSession, issueSession, verifySession } from "@/lib/auth/session";

const ORIGIN = "http://127.0.0.1:3000";

function req(method: string, path: string, headers: Record<string, string> = {}) {
  return new NextRequest(ORIGIN + path, { method, headers: { host: "127.0.0.1:3000", ...headers } });
}

const passes = (res: Response) => res.headers.get("x-middleware-next") === "1";

beforeEach(() => {
  delete process.env.ZOETROPE_PASSWORD;
});
afterEach(() => {
  delete process.env.ZOETROPE_PASSWORD;
});

describe("without a password", () => {
  it("lets every read through", async () => {
    for (const path of ["/", "/runs/x", "/api/runs", "/shares"]) expect(passes(await proxy(req("GET", path)))).toBe(true);
  });

  it("lets same-origin and program writes through", async () => {
    expect(passes(await proxy(req("POST", "/api/runs", { origin: ORIGIN, "sec-fetch-site": "same-origin" })))).toBe(true);
    expect(passes(await proxy(req("POST", "/api/runs")))).toBe(true); // no Origin, no Sec-Fetch-Site: the CLI, curl
  });

  it("refuses a write from another origin, also one on the same host (same site, other port)", async () => {
    for (const headers of <Record<string, string>[]>[
      { origin: "http://evil.example" },
      { origin: "http://127.0.0.1:3001" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "null" },
    ]) {
      const res = await proxy(req("POST", "/api/runs", headers));
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect((await res.json()).error.code).toBe("forbidden");
    }
    expect((await proxy(req("DELETE", "/api/share/x", { origin: "http://evil.example" }))).status).toBe(403);
    expect((await proxy(req("PATCH", "/api/experiments/x", { "sec-fetch-site": "cross-site" }))).status).toBe(403);
  });

  it("does not check cross-origin reads (CORS keeps their answers from the other page)", async () => {
    expect(passes(await proxy(req("GET", "/api/runs", { origin: "http://evil.example", "sec-fetch-site": "cross-site" })))).toBe(true);
  });
});

describe("with ZOETROPE_PASSWORD set", () => {
  beforeEach(() => {
    process.env.ZOETROPE_PASSWORD = "correct horse";
  });

  it("answers an API call without a session with 401 JSON", async () => {
    for (const [method, path] of [["GET", "/api/runs"], ["POST", "/api/share"], ["GET", "/api/samples/x"]]) {
      const res = await proxy(req(method, path));
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    }
  });

  it("sends a page without a session to /login with where it was headed", async () => {
    const res = await proxy(req("GET", "/runs/abc?tab=metrics"));
    expect(res.status).toBe(307);
    expect(new URL(res.headers.get("location")!).pathname).toBe("/login");
    expect(new URL(res.headers.get("location")!).searchParams.get("next")).toBe("/runs/abc?tab=metrics");
    expect((await proxy(req("GET", "/kernel/worker.js"))).status).toBe(307);
  });

  it("keeps shared links, their data, the login page and static chunks open", async () => {
    for (const path of ["/s/abc", "/s/abc/runs/r1", "/s/abc/api/runs/r1/metrics?keys=a", "/s/abc/api/samples/x", "/login", "/_next/static/chunks/a.js", "/icon.svg"]) {
      expect(passes(await proxy(req("GET", path))), path).toBe(true);
    }
    expect(passes(await proxy(req("POST", "/api/auth/login")))).toBe(true);
  });

  it("lets a valid session through, and not a forged, expired or logged-out one", async () => {
    const { token } = issueSession();
    const withCookie = (t: string) => req("GET", "/api/runs", { cookie: `other=1; ${SESSION_COOKIE}=${t}` });
    expect(passes(await proxy(withCookie(token)))).toBe(true);

    const [exp, nonce, sig] = token.split(".");
    const flipped = sig.slice(0, -2) + (sig.at(-2) === "A" ? "B" : "A") + sig.at(-1);
    expect((await proxy(withCookie(`${exp}.${nonce}.${flipped}`))).status).toBe(401);
    // A later expiry with the old signature is a forgery too.
    expect((await proxy(withCookie(`${(parseInt(exp, 36) + 1e9).toString(36)}.${nonce}.${sig}`))).status).toBe(401);

    const old = issueSession(Date.now() - 8 * 24 * 3600 * 1000).token;
    expect(verifySession(old)).toBe(false);

    endSession(token);
    expect((await proxy(withCookie(token))).status).toBe(401);
  });

  it("ends every session when the password changes", async () => {
    const { token } = issueSession();
    expect(verifySession(token)).toBe(true);
    process.env.ZOETROPE_PASSWORD = "another";
    expect(verifySession(token)).toBe(false);
  });

  it("still refuses a cross-origin write carrying a valid session", async () => {
    const { token } = issueSession();
    const res = await proxy(req("POST", "/api/share", { cookie: `${SESSION_COOKIE}=${token}`, origin: "http://evil.example" }));
    expect(res.status).toBe(403);
  });
});

describe("safeNext", () => {
  it("keeps paths of this site and drops anything that leaves it", async () => {
    expect(safeNext("/runs/a?x=1")).toBe("/runs/a?x=1");
    for (const bad of ["//evil.example/x", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "https://evil.example", "javascript:alert(1)", "", null, undefined]) {
      expect(safeNext(bad)).toBe("/");
    }
  });
});
