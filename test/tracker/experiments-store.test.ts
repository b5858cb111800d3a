import "../helpers/temp-db";
import { describe, expect, it } from "vitest";
import { createExperiment, getExperiment } from "@/lib/tracker/experiments";

describe("experiment store", () => {
  it("gives concurrent creates with the same title distinct slugs", async () => {
    const made = await Promise.all(Array.from({ length: 5 }, () => createExperiment({ title: "Race" })));
    expect(new Set(made.map((m) => m.slug))).toEqual(new Set(["race", "race-2", "race-3", "race-4", "race-5"]));
    for (const m of made) expect((await getExperiment(m.slug)).id).toBe(m.id);
  });
});
