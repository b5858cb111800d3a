import hljs from "highlight.js/lib/core";
import typescript from "highlight.js/lib/languages/typescript";
import styles from "./CodeView.module.css";

// Only the core and one grammar: the full highlight.js bundle is ~1 MB of grammars we never use.
if (!hljs.getLanguage("typescript")) hljs.registerLanguage("typescript", typescript);

/** Read-only, server-highlighted TypeScript source. Runs on the server only; ships no JavaScript. */
export function CodeView({ code: source, label }: { code: string; label?: string }) {
  if (source.trim() === "") return <p className={styles.empty}>No source recorded.</p>;
  // A final newline would show as an empty numbered line.
  const code = source.replace(/\n+$/, "");
  // highlight.js escapes the input text (& < > " ') before wrapping tokens in spans, so its output is safe HTML.
  const html = hljs.highlight(code, { language: "typescript", ignoreIllegals: true }).value;
  const lines = code.split("\n").length;
  return (
    <figure className={styles.figure}>
      {label ? <figcaption className={styles.caption}>{label}</figcaption> : null}
      <div className={styles.scroll}>
        <pre className={styles.gutter} aria-hidden="true">
          {Array.from({ length: lines }, (_, i) => i + 1).join("\n")}
        </pre>
        <pre className={styles.pre}>
          <code className="hljs language-typescript" dangerouslySetInnerHTML={{ __html: html }} />
        </pre>
      </div>
    </figure>
  );
}
