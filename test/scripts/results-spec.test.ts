// `npm run results`'s pure parts: every ablation toggles fields the notebook's config really has, and the chart
// spec carries each model's curve and the reference lines.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ABLATIONS, chartSpec } from "@/scripts/results-spec";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

describe("results ablations", () => {
  it.each(Object.keys(ABLATIONS) as (keyof typeof ABLATIONS)[])("%s: each --set names a field of the notebook's config", (kind) => {
    const source = fs.readFileSync(path.join(ROOT, "experiments", `${kind}.ts`), "utf8");
    const config = source.slice(source.indexOf("config({"), source.indexOf("});", source.indexOf("config({")));
    const fields = new Set([...config.matchAll(/^ {2}(\w+):/gm)].map((m) => m[1]));
    for (const a of ABLATIONS[kind]) for (const key of Object.keys(a.set)) expect(fields, `${a.label}: ${key}`).toContain(key);
    expect(ABLATIONS[kind][0].set).toEqual({}); // the first row is the recipe itself
  });
});

describe("results chart", () => {
  it("layers one line per model and a rule per reference", () => {
    const spec = chartSpec(
      [{ name: "mocogan", points: [{ minutes: 1, fvd: 150, step: 60 }, { minutes: 2, fvd: 120, step: 120 }] }],
      { floor: 16, noise: 160 },
      128,
    ) as { layer: { data: { values: Record<string, unknown>[] } }[] };
    expect(spec.layer[0].data.values).toEqual([
      { model: "mocogan", minutes: 1, fvd: 150, step: 60 },
      { model: "mocogan", minutes: 2, fvd: 120, step: 120 },
    ]);
    expect(spec.layer[1].data.values).toEqual([{ reference: "floor", fvd: 16 }, { reference: "noise", fvd: 160 }]);
  });
});
