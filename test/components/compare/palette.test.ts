import { describe, expect, it } from "vitest";
import { plotlyText, runColor } from "@/components/compare/palette";

describe("chart labels", () => {
  it("escapes markup so Plotly shows a run name as typed", () => {
    expect(plotlyText(`<img src=x onerror=alert(1)> & <b>`)).toBe("&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;");
  });

  it("gives neighbouring runs different colours and reuses them past ten", () => {
    expect(new Set(Array.from({ length: 10 }, (_, i) => runColor(i))).size).toBe(10);
    expect(runColor(10)).toBe(runColor(0));
  });
});
