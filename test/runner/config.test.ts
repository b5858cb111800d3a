import { describe, expect, it } from "vitest";
import type { ConfigValue } from "@/lib/runner/cell-api";
import { applyOverrides, ConfigError, mergeHparams, parseAssignment, parseOverride } from "@/lib/runner/kernel/config";

describe("applyOverrides", () => {
  it("turns a numeric string into a number for a numeric default", () => {
    const { values, used } = applyOverrides({ lr: 0.1, steps: 10 }, { lr: "0.5", steps: "200" });
    expect(values).toEqual({ lr: 0.5, steps: 200 });
    expect(typeof values.lr).toBe("number");
    expect(used).toEqual(["lr", "steps"]);
  });

  it("reads exponent notation and surrounding spaces as numbers", () => {
    expect(applyOverrides({ lr: 0.1 }, { lr: "1e-4" }).values.lr).toBe(1e-4);
    expect(applyOverrides({ lr: 0.1 }, { lr: " 3e-4 " }).values.lr).toBe(3e-4);
    expect(applyOverrides({ lr: 0.1 }, { lr: "-2.5E+2" }).values.lr).toBe(-250);
  });

  it("keeps a number override for a numeric default as it is", () => {
    expect(applyOverrides({ lr: 0.1 }, { lr: 2e-4 }).values.lr).toBe(2e-4);
  });

  it('takes "true" and "false" for a boolean default, and real booleans', () => {
    expect(applyOverrides({ ema: false }, { ema: "true" }).values.ema).toBe(true);
    expect(applyOverrides({ ema: true }, { ema: "false" }).values.ema).toBe(false);
    expect(applyOverrides({ ema: true }, { ema: false }).values.ema).toBe(false);
  });

  it("turns a number or a boolean into a string for a string default", () => {
    const { values } = applyOverrides({ name: "vgan", tag: "x" }, { name: 3, tag: true });
    expect(values).toEqual({ name: "3", tag: "true" });
  });

  it("reaches nested values by dotted key", () => {
    const defaults = { model: { kind: "vgan", gen: { width: 8, dropout: 0.1 } }, lr: 0.1 };
    const { values, used } = applyOverrides(defaults, { "model.gen.width": "16", "model.kind": "tgan" });
    expect(values).toEqual({ model: { kind: "tgan", gen: { width: 16, dropout: 0.1 } }, lr: 0.1 });
    expect(used).toEqual(["model.gen.width", "model.kind"]);
  });

  it("does not use a key the defaults lack, nor invent it", () => {
    const defaults = { lr: 0.1, model: { width: 8 } };
    const { values, used } = applyOverrides(defaults, {
      typo: 1,
      "model.depth": 3,
      "lr.inner": 2, // lr is a number, not an object
      "nothing.here": 4,
    });
    expect(used).toEqual([]);
    expect(values).toEqual({ lr: 0.1, model: { width: 8 } });
  });

  it("does not reach through the prototype", () => {
    const { values, used } = applyOverrides({ lr: 0.1 } as Record<string, number>, {
      toString: "x",
      "__proto__.polluted": 1,
      "constructor.name": "y",
    });
    expect(used).toEqual([]);
    expect(Object.keys(values)).toEqual(["lr"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("takes anything for a null default", () => {
    expect(applyOverrides({ init: null }, { init: "orthogonal" }).values.init).toBe("orthogonal");
    expect(applyOverrides({ init: null }, { init: 3 }).values.init).toBe(3);
  });

  it("replaces an array default with an array", () => {
    expect(applyOverrides({ sizes: [1, 2] }, { sizes: [4, 5, 6] }).values.sizes).toEqual([4, 5, 6]);
  });

  it.each([
    [{ lr: 0.1 }, { lr: "fast" }, "lr", /lr: expected a number like the default 0\.1, got "fast"/],
    [{ lr: 0.1 }, { lr: "" }, "lr", /lr: expected a number/],
    [{ lr: 0.1 }, { lr: "  " }, "lr", /lr: expected a number/],
    [{ lr: 0.1 }, { lr: true }, "lr", /lr: expected a number.*got true/],
    [{ ema: true }, { ema: "yes" }, "ema", /ema: expected a boolean like the default true, got "yes"/],
    [{ ema: true }, { ema: 1 }, "ema", /ema: expected a boolean/],
    [{ name: "vgan" }, { name: [1] }, "name", /name: expected a string/],
    [{ sizes: [1, 2] }, { sizes: 3 }, "sizes", /sizes: expected a array/],
    [{ model: { width: 8 } }, { "model.width": "wide" }, "model.width", /^model\.width: expected a number like the default 8/],
    [{ model: { width: 8 } }, { model: 5 }, "model", /^model: expected a object/],
  ])("refuses a mismatched type (%j with %j) naming the key", (defaults, overrides, key, message) => {
    let error: unknown;
    try {
      applyOverrides(defaults as Record<string, ConfigValue>, overrides);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).name).toBe("ConfigError");
    expect((error as Error).message).toContain(key);
    expect((error as Error).message).toMatch(message);
  });

  it("leaves the defaults untouched", () => {
    const defaults = { lr: 0.1, model: { width: 8, layers: [1, 2] }, name: "a" };
    const before = structuredClone(defaults);
    const { values } = applyOverrides(defaults, { lr: "0.5", "model.width": 32, name: 7 });
    expect(defaults).toEqual(before);
    expect(values).not.toBe(defaults);
    expect(values.model).not.toBe(defaults.model);
    values.model.layers.push(3);
    expect(defaults.model.layers).toEqual([1, 2]);
  });

  it("leaves the defaults untouched when an override fails part way", () => {
    const defaults = { a: 1, b: 2 };
    expect(() => applyOverrides(defaults, { a: 5, b: "x" })).toThrow(ConfigError);
    expect(defaults).toEqual({ a: 1, b: 2 });
  });
});

describe("parseAssignment", () => {
  it("splits at the first = and parses the value as JSON where it can", () => {
    expect(parseAssignment("lr=3e-4")).toEqual(["lr", 3e-4]);
    expect(parseAssignment("ema=true")).toEqual(["ema", true]);
    expect(parseAssignment("model=tgan")).toEqual(["model", "tgan"]);
    expect(parseAssignment('name="42"')).toEqual(["name", "42"]);
    expect(parseAssignment("sizes=[1,2]")).toEqual(["sizes", [1, 2]]);
    expect(parseAssignment("expr=a=b")).toEqual(["expr", "a=b"]);
    expect(parseAssignment(" model.width =16")).toEqual(["model.width", 16]);
    expect(parseAssignment("empty=")).toEqual(["empty", ""]);
    expect(parseAssignment("lr=.5")).toEqual(["lr", ".5"]); // not JSON: left to config() to coerce
  });

  it.each(["novalue", "=5", ""])("refuses %j with a ConfigError that quotes it", (text) => {
    expect(() => parseAssignment(text)).toThrow(ConfigError);
    expect(() => parseAssignment(text)).toThrow(`expected key=value, got "${text}"`);
  });

  it("parseOverride keeps text that is not JSON", () => {
    expect(parseOverride("1e-4")).toBe(1e-4);
    expect(parseOverride("null")).toBeNull();
    expect(parseOverride("{bad")).toBe("{bad");
  });
});

describe("mergeHparams", () => {
  it("merges a later config's keys over the earlier ones without touching either", () => {
    const into = { lr: 0.1, batch: 4 };
    const values = { lr: 0.2, model: { width: 8 } };
    const merged = mergeHparams(into, values);
    expect(merged).toEqual({ lr: 0.2, batch: 4, model: { width: 8 } });
    expect(into).toEqual({ lr: 0.1, batch: 4 });
    expect(merged.model).not.toBe(values.model);
  });
});
