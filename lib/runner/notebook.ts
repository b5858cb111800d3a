// A notebook is a plain `.ts` file in the percent format that Jupytext and VS Code use for TypeScript:
//
//   // %% Title           starts a code cell (the title is optional)
//   // %% [markdown]      starts a markdown cell; its lines are `// ` comments
//
// Text before the first marker is a cell without a header, and a file without a marker is one such cell.
// serializeNotebook(parseNotebook(text)) === text for every string: each cell keeps, in `format`, the few bytes that
// its display fields (kind, title, source) cannot say, and they are written back only while they still describe it.
// The format has no escape: a source line that reads as a marker (`// %%` in code, `%%` in markdown) starts a new
// cell when the file is read back.

export type CellKind = "code" | "markdown";

/** How a cell was written, beyond what its display fields say. Plain data, so it travels with the cell. */
export interface CellFormat {
  /** The marker line as written (`// %% Train`), without its line end; null for text before the first marker. */
  header: string | null;
  /** The cell's line end. Its `source` always uses "\n"; "\r\n" only when every line end in the cell is one. */
  eol: "\n" | "\r\n";
  /** Line ends after the source: its last line's own end plus the blank lines before the next cell (0: end of file). */
  trailing: number;
  /** A markdown cell whose lines are not all `// text`: its source holds the lines as written, `//` and all. */
  verbatim?: boolean;
}

/** The saved part of a cell. What it does at run time is a separate type (cell-state.ts). */
export interface NotebookCell {
  id: string;
  kind: CellKind;
  title?: string;
  /** Code as written, or a markdown cell's text without its `// ` marks. Never ends with a line end. */
  source: string;
  format: CellFormat;
}

export interface Notebook {
  cells: NotebookCell[];
}

// `// %%` at the start of a line, then nothing or a space: `// %%%` and `  // %%` are ordinary comments, so a
// commented-out marker inside a function body does not split it.
const MARKER = /^\/\/[ \t]*%%(?:[ \t](.*))?$/;
const MARKDOWN = /^\[(?:markdown|md)\](?:[ \t]+(.*))?$/;

interface Header {
  kind: CellKind;
  title?: string;
}

function readHeader(line: string): Header | null {
  const m = MARKER.exec(line.endsWith("\r") ? line.slice(0, -1) : line);
  if (!m) return null;
  const rest = (m[1] ?? "").trim();
  const md = MARKDOWN.exec(rest);
  if (md) return md[1] ? { kind: "markdown", title: md[1].trim() } : { kind: "markdown" };
  return rest ? { kind: "code", title: rest } : { kind: "code" };
}

export function parseNotebook(text: string): Notebook {
  // Split into chunks that each start at a marker line (the first may have none); "\n" ends a line, so a lone "\r"
  // stays text and a CRLF line keeps its "\r" until the cell is normalised below.
  const chunks: string[] = [];
  let start = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const nl = text.indexOf("\n", lineStart);
    const lineEnd = nl < 0 ? text.length : nl;
    if (lineStart > start && readHeader(text.slice(lineStart, lineEnd))) {
      chunks.push(text.slice(start, lineStart));
      start = lineStart;
    }
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  // The last chunk; the only one that can be empty, when the file is: an empty file is one empty cell.
  chunks.push(text.slice(start));
  return { cells: withIds(chunks.map(parseChunk)) };
}

function parseChunk(raw: string): Omit<NotebookCell, "id"> {
  const crlf = raw.includes("\n") && !/(^|[^\r])\n/.test(raw);
  const eol = crlf ? "\r\n" : "\n";
  const norm = crlf ? raw.replaceAll("\r\n", "\n") : raw;
  const nl = norm.indexOf("\n");
  const firstLine = nl < 0 ? norm : norm.slice(0, nl);
  // Decided on the raw line, exactly as the split above decided it.
  const rawNl = raw.indexOf("\n");
  const header = readHeader(rawNl < 0 ? raw : raw.slice(0, rawNl)) ? firstLine : null;
  // After the header line: its line end, the source, then the trailing line ends.
  const after = header === null ? norm : norm.slice(firstLine.length);
  const body = header === null ? after : after.slice(1);
  const source = body.replace(/\n+$/, "");
  const trailing = source === "" ? after.length : body.length - source.length;
  const head = header === null ? { kind: "code" as const } : readHeader(header)!;
  const format: CellFormat = { header, eol, trailing };
  if (head.kind === "markdown") {
    const lines = source === "" ? [] : source.split("\n");
    // Not canonical, as they would read back differently: "// " alone (as "//"), a single "//" (as no line).
    const canonical = lines.every((l) => l === "//" || (l.startsWith("// ") && l.length > 3));
    if (canonical && !(lines.length === 1 && lines[0] === "//")) {
      return { ...head, source: lines.map((l) => l.slice(3)).join("\n"), format };
    }
    return { ...head, source, format: { ...format, verbatim: true } };
  }
  return { ...head, source, format };
}

export function serializeNotebook(nb: Notebook): string {
  return nb.cells.map((cell, i) => serializeCell(cell, i === 0, i === nb.cells.length - 1)).join("");
}

function serializeCell(cell: NotebookCell, first: boolean, last: boolean): string {
  const { format } = cell;
  const header = headerFor(cell, first);
  const source = cell.kind === "markdown" && !format.verbatim ? commentLines(cell.source) : cell.source;
  // A cell followed by another must end its last line, or the next marker would join it.
  const trailing = last ? format.trailing : Math.max(format.trailing, 1);
  let text = header ?? "";
  if (source !== "") text += (header === null ? "" : "\n") + source;
  text += "\n".repeat(trailing);
  return format.eol === "\n" ? text : text.replaceAll("\n", format.eol);
}

/** The saved header while it still says the cell's kind and title; a fresh one after an edit or a move. */
function headerFor(cell: NotebookCell, first: boolean): string | null {
  const saved = cell.format.header;
  if (saved === null) {
    if (first && cell.kind === "code" && cell.title === undefined) return null;
  } else {
    const head = readHeader(saved);
    if (head && head.kind === cell.kind && head.title === cell.title) return saved;
  }
  const title = cell.title ? ` ${cell.title}` : "";
  return cell.kind === "markdown" ? `// %% [markdown]${title}` : `// %%${title}`;
}

function commentLines(text: string): string {
  return text === "" ? "" : text.split("\n").map((l) => (l === "" ? "//" : `// ${l}`)).join("\n");
}

/** A new cell for `nb` (not yet in it), with an id no cell of `nb` has, written the way Jupytext writes one. */
export function createCell(nb: Notebook, kind: CellKind, source = "", title?: string): NotebookCell {
  const cell = { kind, source, ...(title ? { title } : {}) };
  const header = kind === "markdown" ? "// %% [markdown]" : "// %%";
  // The notebook's line end; trailing 2: the line end and one blank line before the next cell.
  const eol = nb.cells[0]?.format.eol ?? "\n";
  const format: CellFormat = { header: title ? `${header} ${title}` : header, eol, trailing: 2 };
  return { id: freshId(cell, new Set(nb.cells.map((c) => c.id))), ...cell, format };
}

// Ids come from the cell's content, so they survive edits, moves and deletions of other cells and a re-parse of the
// same file; identical cells (and the rare hash collision) are told apart by their order.
function withIds(cells: Omit<NotebookCell, "id">[]): NotebookCell[] {
  const taken = new Set<string>();
  return cells.map((cell) => ({ id: freshId(cell, taken), ...cell }));
}

function freshId(cell: Pick<NotebookCell, "kind" | "source">, taken: Set<string>): string {
  let n = 0;
  while (taken.has(cellId(cell, n))) n++;
  const id = cellId(cell, n);
  taken.add(id);
  return id;
}

function cellId(cell: Pick<NotebookCell, "kind" | "source">, n: number): string {
  // FNV-1a over kind, source and repeat number: 32 bits in base 36, enough for the cells of one notebook.
  let h = 0x811c9dc5;
  const key = `${cell.kind}\0${cell.source}\0${n}`;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `c${(h >>> 0).toString(36).padStart(7, "0")}`;
}

/** The 1-based line of the file where each cell's source starts: a cell's error line plus this, minus 1, is the file's. */
export function sourceStartLines(nb: Notebook): number[] {
  let line = 1;
  return nb.cells.map((cell, i) => {
    const text = serializeCell(cell, i === 0, i === nb.cells.length - 1);
    const start = line + (headerFor(cell, i === 0) === null ? 0 : 1);
    line += text.split("\n").length - 1;
    return start;
  });
}

/** A notebook's title: its first markdown heading (`// # Title`), else `fallback` (the file's name). */
export function notebookTitle(text: string, fallback: string): string {
  const heading = /^\/\/ #\s+(.+)$/m.exec(text);
  return heading ? heading[1].trim() : fallback;
}
