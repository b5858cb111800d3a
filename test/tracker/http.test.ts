import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/tracker/errors";
import { readBody, readJson } from "@/lib/tracker/http";

/** A request whose body streams in chunks with no Content-Length, as a chunked upload does. */
function chunked(chunks: number, size: number): Request {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < chunks) controller.enqueue(new Uint8Array(size).fill(32));
      else controller.close();
    },
  });
  return new Request("http://localhost/x", { method: "POST", body, duplex: "half" } as RequestInit);
}

async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (e) {
    return (e as ApiError).status;
  }
}

describe("readBody", () => {
  it("reads a chunked body under the limit", async () => {
    expect((await readBody(chunked(4, 1000), 4000)).byteLength).toBe(4000);
  });

  it("stops a chunked body as soon as it passes the limit", async () => {
    expect(await statusOf(readBody(chunked(1000, 1000), 4000))).toBe(413);
  });
});

describe("readJson", () => {
  it("answers 400 for invalid JSON and for an empty body", async () => {
    const req = (body?: string) => new Request("http://localhost/x", { method: "POST", body });
    expect(await statusOf(readJson(req("{\"a\":")))).toBe(400);
    expect(await statusOf(readJson(req()))).toBe(400);
    expect(await readJson(req('{"a":1}'))).toEqual({ a: 1 });
  });
});
