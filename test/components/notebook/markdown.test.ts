import { describe, expect, it } from "vitest";
import { renderMarkdown } from "@/components/notebook/markdown";

describe("markdown", () => {
  it("renders headings, emphasis, lists, code and tables", () => {
    const html = renderMarkdown("# Title\n\n*a* **b** `c`\n\n- x\n- y\n\n| k | v |\n|---|---|\n| 1 | 2 |\n");
    expect(html).toContain("<h1>Title</h1>");
    expect(html).toContain("<em>a</em> <strong>b</strong> <code>c</code>");
    expect(html).toContain("<li>x</li>");
    expect(html).toContain("<td>1</td>");
  });

  it.each([
    ["<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ['<a href="javascript:alert(1)">x</a>', "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;"],
    ["<iframe src=//evil></iframe>", "&lt;iframe src=//evil&gt;&lt;/iframe&gt;"],
    ["<svg onload=alert(1)>", "&lt;svg onload=alert(1)&gt;"],
  ])("escapes raw HTML %s", (probe, escaped) => {
    const html = renderMarkdown(probe);
    expect(html).toContain(escaped);
    expect(html).not.toMatch(/<(img|script|a|iframe|svg)\b/i);
  });

  it.each([
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "[x]: javascript:alert(1)\n\n[x]",
  ])("refuses the link %s", (probe) => {
    const html = renderMarkdown(probe);
    expect(html).not.toMatch(/<a\b|<img\b/i);
    expect(html).not.toMatch(/href=|src=/i);
  });

  it("leaves a percent-encoded scheme as what a browser reads it as: a relative path", () => {
    const href = /href="([^"]*)"/.exec(renderMarkdown("[x](%6Aavascript:alert(1))"))?.[1] ?? "";
    expect(new URL(href, "http://localhost/notebook/").protocol).toBe("http:");
  });

  it("keeps web links, with rel=noopener noreferrer, and linkifies bare URLs", () => {
    expect(renderMarkdown("[docs](https://example.com/a?b=1)")).toContain(
      '<a href="https://example.com/a?b=1" rel="noopener noreferrer" target="_blank">docs</a>',
    );
    expect(renderMarkdown("see https://example.com now")).toContain(
      '<a href="https://example.com" rel="noopener noreferrer" target="_blank">https://example.com</a>',
    );
  });

  it("keeps in-page anchors in the page", () => {
    expect(renderMarkdown("[up](#top)")).toBe('<p><a href="#top" rel="noopener noreferrer">up</a></p>\n');
  });

  it("escapes quotes that would end an attribute", () => {
    const html = renderMarkdown('[x](https://a.b/"onmouseover="alert(1))');
    expect(html).not.toMatch(/"\s*onmouseover=/);
  });

  it("allows inline image data but no other data URLs", () => {
    expect(renderMarkdown("![dot](data:image/png;base64,iVBORw0KGgo=)")).toContain('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">');
    expect(renderMarkdown("![x](data:image/svg+xml;base64,PHN2Zz4=)")).not.toContain("<img");
  });

  it("leaves LaTeX as text", () => {
    expect(renderMarkdown("$x^2$")).toBe("<p>$x^2$</p>\n");
  });
});
