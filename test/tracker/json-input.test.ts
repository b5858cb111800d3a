// Untrusted JSON text: nesting bounded before parsing, unpaired surrogates and __proto__ keys refused with a path.
import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/tracker/errors";
import { MAX_JSON_DEPTH, hasLoneSurrogate, jsonTooDeep, parseJsonText, unstorable } from "@/lib/tracker/json-input";

const nested = (n: number, open = "[", close = "]") => open.repeat(n) + close.repeat(n);

function failure(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("expected an ApiError");
}

describe("jsonTooDeep", () => {
  it("counts arrays and objects, not brackets inside strings", () => {
    expect(jsonTooDeep(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonTooDeep(nested(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonTooDeep('{"a":'.repeat(MAX_JSON_DEPTH + 1) + "1" + "}".repeat(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(jsonTooDeep(JSON.stringify({ a: "[".repeat(1000), b: '\\"[[[' }))).toBe(false);
    expect(jsonTooDeep(`["\\\\", ${nested(3)}]`)).toBe(false);
  });

  it("scans 100,000 levels without recursing", () => {
    expect(jsonTooDeep(nested(100_000))).toBe(true);
  });
});

describe("unstorable", () => {
  it("finds a lone surrogate in a value or a key, with its path", () => {
    expect(unstorable({ a: [1, { b: "x\ud800" }] })).toMatchObject({ kind: "text", path: ["a", 1, "b"] });
    expect(unstorable({ a: { "k\udc00": 1 } })).toMatchObject({ kind: "text", path: ["a"] });
    expect(unstorable("\ud83d")).toMatchObject({ kind: "text", path: [] });
    expect(unstorable({ ok: "😀 ✓ é", n: [1, null, true] })).toBeNull();
  });

  it("finds __proto__ keys, which a plain object would drop", () => {
    expect(unstorable(JSON.parse('{"a":{"__proto__":{"x":1}}}'))).toMatchObject({ kind: "key", path: ["a", "__proto__"] });
    expect(unstorable({ constructor: 1, prototype: 2 })).toBeNull();
  });

  it("bounds depth (and so cycles) and, when asked, numbers JSON cannot hold", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(unstorable(cyclic)).toMatchObject({ kind: "depth" });
    expect(unstorable(JSON.parse(nested(MAX_JSON_DEPTH)))).toBeNull();
    expect(unstorable({ lr: Infinity })).toBeNull();
    expect(unstorable({ lr: [1, -Infinity] }, { finite: true })).toMatchObject({ kind: "number", path: ["lr", 1] });
    expect(unstorable({ lr: NaN }, { finite: true })).toMatchObject({ kind: "number", path: ["lr"] });
  });

  it("tells paired surrogates (one code point) from lone ones", () => {
    expect(hasLoneSurrogate("😀")).toBe(false);
    expect(hasLoneSurrogate("😀".slice(0, 1))).toBe(true);
    expect(hasLoneSurrogate("😀".slice(1))).toBe(true);
    expect(hasLoneSurrogate("\udc00\ud800")).toBe(true); // reversed pair
  });
});

describe("parseJsonText", () => {
  it("answers each problem with its status and code, naming where", () => {
    expect(failure(() => parseJsonText(nested(100_000)))).toMatchObject({ status: 400, code: "too_deep" });
    expect(failure(() => parseJsonText("{"))).toMatchObject({ status: 400, code: "malformed_json" });
    const text = failure(() => parseJsonText('{"title":"\\ud800"}', "run.json"));
    expect(text).toMatchObject({ status: 400, code: "malformed_text" });
    expect(text.message).toBe("run.json.title: text with an unpaired UTF-16 surrogate cannot be stored");
    const proto = failure(() => parseJsonText('{"hparams":{"__proto__":1}}'));
    expect(proto).toMatchObject({ status: 422, code: "invalid_input" });
    expect(proto.issues).toEqual([{ path: "hparams.__proto__", message: "the key __proto__ is reserved" }]);
  });

  it("parses what is fine, 1e999 included (metric values may be infinite)", () => {
    expect(parseJsonText('{"a":[1,"😀"],"v":1e999}')).toEqual({ a: [1, "😀"], v: Infinity });
  });
});
