// The method guard in front of Next (scripts/server.js): which methods pass, and the 405 every other one gets, also
// when Node's parser refused the request line (TRACK) or handed over the socket (CONNECT). The real server is
// exercised by test/server/hostile.test.ts.
import { describe, expect, it } from "vitest";
import { isApiPath as libIsApiPath } from "@/lib/api/guard";
import { METHODS, clientErrorResponse, isApiPath, methodRefusal, rawResponse, requestLine, targetPath } from "../../scripts/method-guard.js";

const ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

describe("methodRefusal", () => {
  it("passes the methods the app takes", () => {
    expect(METHODS).toEqual(ALLOW.split(", "));
    for (const method of METHODS) for (const target of ["/", "/api/experiments", "/s/t/api/runs"]) expect(methodRefusal(method, target)).toBeNull();
  });

  it("answers every other method 405, in the API's JSON shape on the API's paths", () => {
    for (const method of ["TRACE", "TRACK", "CONNECT", "PROPFIND", "QUERY", "M-SEARCH", "get", "Post"]) {
      for (const target of ["/api", "/api/experiments?x=1", "/s/tok/api/runs/r1", "/s/tok/api", "http://127.0.0.1:3000/api/runs", "/api/runs/%ff"]) {
        const refusal = methodRefusal(method, target)!;
        expect(refusal.status, `${method} ${target}`).toBe(405);
        expect(refusal.headers).toMatchObject({ "Content-Type": "application/json", Allow: ALLOW, "Content-Length": String(Buffer.byteLength(refusal.body)) });
        const body = JSON.parse(refusal.body);
        expect(body).toEqual({ error: { code: "method_not_allowed", message: expect.stringContaining(`${method} is not supported`) } });
      }
      for (const target of ["/", "/runs", "/s/tok", "/apix", "/s/tok/apix", "*", "example.com:443", "/x?/api/y"]) {
        const refusal = methodRefusal(method, target)!;
        expect(refusal.status).toBe(405);
        expect(refusal.headers["Content-Type"], target).toMatch(/^text\/plain/);
        expect(refusal.headers.Allow).toBe(ALLOW);
        expect(refusal.body).toMatch(new RegExp(`^405 Method Not Allowed: ${method} is not supported`));
      }
    }
  });
});

describe("targetPath and isApiPath", () => {
  it("take the path of origin- and absolute-form targets, none of the others", () => {
    expect(targetPath("/api/runs?q=a#b")).toBe("/api/runs");
    expect(targetPath("http://h:1/s/t/api/x?y")).toBe("/s/t/api/x");
    expect(targetPath("/%61pi/runs")).toBe("/api/runs");
    expect(targetPath("/api/%ff")).toBe("/api/%ff");
    expect(targetPath("*")).toBe("");
    expect(targetPath("example.com:443")).toBe("");
  });

  it("agree with lib/api/guard.ts", () => {
    for (const p of ["/api", "/api/", "/api/x", "/apix", "/", "", "/s/t/api", "/s/t/api/", "/s/t/api/x", "/s/t/apix", "/s//api", "/s/a/b/api", "/runs/api", "/s/t"]) {
      expect(isApiPath(p), p).toBe(libIsApiPath(p));
    }
  });
});

describe("raw answers (CONNECT, and requests Node's parser refuses)", () => {
  it("write the refusal as an HTTP/1.1 response that closes the connection", () => {
    const refusal = methodRefusal("CONNECT", "/api/x")!;
    const raw = rawResponse(refusal, new Date(0));
    const [head, body] = raw.split("\r\n\r\n");
    expect(head.split("\r\n")).toEqual([
      "HTTP/1.1 405 Method Not Allowed",
      "Content-Type: application/json",
      `Content-Length: ${refusal.body.length}`,
      `Allow: ${ALLOW}`,
      "Cache-Control: no-store",
      "Date: Thu, 01 Jan 1970 00:00:00 GMT",
      "Connection: close",
    ]);
    expect(body).toBe(refusal.body);
  });

  it("read a complete request line, and nothing else", () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(requestLine(bytes("TRACK /api/x HTTP/1.1\r\nHost: a\r\n\r\n"))).toEqual({ method: "TRACK", target: "/api/x" });
    expect(requestLine(bytes("TRACK / HTTP/1.0\n"))).toEqual({ method: "TRACK", target: "/" });
    expect(requestLine(bytes("xxTRACK /api/x HTTP/1.1\r\n").subarray(2))).toEqual({ method: "TRACK", target: "/api/x" });
    for (const bad of ["TRACK /api/x", "TRACK /api/x HTTP/1.1", "TR CK / HTTP/1.1\r\n", "TRACK  / HTTP/1.1\r\n", "\x00\x01\x02", "", "TRACK /a b HTTP/1.1\r\n", "TR\"CK / HTTP/1.1\r\n"]) {
      expect(requestLine(bytes(bad)), JSON.stringify(bad)).toBeNull();
    }
  });

  it("answer a method the parser does not know 405, and other parser errors as Node does", () => {
    const packet = (s: string) => Buffer.from(s);
    const track = clientErrorResponse({ code: "HPE_INVALID_METHOD", rawPacket: packet("TRACK /s/t/api/runs HTTP/1.1\r\nHost: a\r\n\r\n") });
    expect(track).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    expect(JSON.parse(track.split("\r\n\r\n")[1]).error.code).toBe("method_not_allowed");
    expect(clientErrorResponse({ code: "HPE_INVALID_METHOD", rawPacket: packet("FOO / HTTP/1.1\r\n\r\n") })).toMatch(/\r\n\r\n405 Method Not Allowed: FOO/);
    // A request line that is not whole, or not one at all: Node's 400.
    const badRequest = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n";
    expect(clientErrorResponse({ code: "HPE_INVALID_METHOD", rawPacket: packet("TRAC") })).toBe(badRequest);
    expect(clientErrorResponse({ code: "HPE_INVALID_METHOD" })).toBe(badRequest);
    expect(clientErrorResponse({ code: "HPE_INVALID_URL", rawPacket: packet("GET /a b HTTP/1.1\r\n") })).toBe(badRequest);
    expect(clientErrorResponse({ code: "HPE_HEADER_OVERFLOW" })).toBe("HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n");
    expect(clientErrorResponse({ code: "ERR_HTTP_REQUEST_TIMEOUT" })).toBe("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n");
    expect(clientErrorResponse({ code: "HPE_CHUNK_EXTENSIONS_OVERFLOW" })).toBe("HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n");
  });
});
