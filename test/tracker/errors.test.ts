import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, conflict, errorResponse, toApiError } from "@/lib/tracker/errors";

describe("toApiError", () => {
  it("keeps ApiErrors and turns zod errors into 422 with dotted paths", () => {
    const e = new ApiError(409, "conflict", "x");
    expect(toApiError(e)).toBe(e);
    const zerr = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: "1" } }).error!;
    const api = toApiError(zerr);
    expect(api.status).toBe(422);
    expect(api.issues?.[0].path).toBe("a.b");
  });

  it("maps Prisma's known codes and SQLite busy errors", () => {
    expect(toApiError({ code: "P2025", message: "" }).status).toBe(404);
    expect(toApiError({ code: "P2002", message: "" }).status).toBe(409);
    expect(toApiError(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" })).status).toBe(503);
  });

  it("puts an error's details beside code and message, which they cannot replace", async () => {
    const res = errorResponse(conflict("changed", { version: 3, code: "other", message: "other" }));
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: "conflict", message: "changed", version: 3 } });
  });

  it("hides anything else behind a 500", async () => {
    const original = console.error;
    console.error = () => {};
    try {
      const res = errorResponse(new TypeError("secret detail"));
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: { code: "internal", message: "internal error" } });
    } finally {
      console.error = original;
    }
  });
});
