// The one Markdown renderer of the notebook: markdown cells and `show.md(…)` outputs both go through it.
// The text is a user's (or a cell's) and the result is set as innerHTML, so nothing in it may run: raw HTML is off
// (`<script>`, `<img onerror=…>` come out as escaped text), and markdown-it's link check refuses javascript:,
// vbscript:, file: and data: URLs other than images. Links open a page that cannot reach back (noopener) and is not
// told where it came from (noreferrer). LaTeX is not rendered.
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  const token = tokens[idx];
  token.attrSet("rel", "noopener noreferrer");
  // Only absolute web links leave the page; in-page anchors (#section) stay where they are.
  if (/^https?:/i.test(token.attrGet("href") ?? "")) token.attrSet("target", "_blank");
  return self.renderToken(tokens, idx, options);
};

/** Markdown text as HTML that is safe to put in the page. */
export function renderMarkdown(text: string): string {
  return md.render(text);
}
