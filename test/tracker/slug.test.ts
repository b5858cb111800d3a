import { describe, expect, it } from "vitest";
import { slugify, uniqueSlug } from "@/lib/tracker/slug";

describe("slugify", () => {
  it("makes lowercase ASCII words joined by dashes", () => {
    expect(slugify("  MoCoGAN — 64×64, β=0.5! ")).toBe("mocogan-64-64-0-5");
    expect(slugify("Crème brûlée")).toBe("creme-brulee");
  });

  it("caps the length without a trailing dash, and never returns empty", () => {
    expect(slugify("a".repeat(59) + " bc").length).toBeLessThanOrEqual(60);
    expect(slugify("a".repeat(59) + " bc").endsWith("-")).toBe(false);
    expect(slugify("!!!")).toBe("experiment");
    expect(slugify("日本語")).toBe("experiment");
  });
});

describe("uniqueSlug", () => {
  it("numbers a taken slug from 2", () => {
    expect(uniqueSlug("gan", new Set())).toBe("gan");
    expect(uniqueSlug("gan", new Set(["gan", "gan-2"]))).toBe("gan-3");
  });
});
