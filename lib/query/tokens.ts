// The run filter language's tokens. Hand-written, like the parser beside it: the grammar is a dozen rules, and a
// generated or combinator parser (none is a dependency here) would cost more than it saves and report positions in
// its own terms. Here every error carries the offset and length of the text it is about, for the filter box to mark.

export class QueryError extends Error {
  constructor(
    message: string,
    /** 0-based offset in the query text */
    readonly position: number,
    /** characters the error is about (0 at the end of the text) */
    readonly length: number,
  ) {
    super(message);
    this.name = "QueryError";
  }
}

export type TokenKind =
  | "ident" // a word: field head, and/or/not, true/false/null
  | "segment" // a key segment right after '.', may start with a digit (params.layers.0)
  | "string" // "…" with JSON escapes
  | "quoted" // `…`, a key segment with any characters but a backtick
  | "number"
  | "op" // = != < <= > >= ~
  | "("
  | ")"
  | "."
  | "end";

export interface Token {
  kind: TokenKind;
  /** the decoded value: a string's content, a word, an operator */
  text: string;
  /** the number of a "number" token */
  value?: number;
  start: number;
  end: number;
}

const WORD_START = /[A-Za-z_]/;
const WORD = /[A-Za-z0-9_]/;
/** Metric keys often hold '/' or '-' (loss/d, fvd-16), or letters beyond ASCII; after a '.' they need no quotes. */
const SEGMENT = /[\p{L}\p{N}_/-]/u;
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** Quotes a piece of the query for a message: 'x', or "the end of the query". */
export function describeToken(t: Token): string {
  if (t.kind === "end") return "the end of the query";
  if (t.kind === "string") return JSON.stringify(t.text);
  if (t.kind === "quoted") return `\`${t.text}\``;
  return `'${t.text}'`;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const push = (kind: TokenKind, value: string, start: number, end: number, num?: number) =>
    tokens.push({ kind, text: value, start, end, ...(num === undefined ? {} : { value: num }) });
  while (at < text.length) {
    const c = text[at];
    if (/\s/.test(c)) {
      at++;
      continue;
    }
    const start = at;
    const prev = tokens.length > 0 ? tokens[tokens.length - 1].kind : undefined;
    const afterDot = prev === ".";
    // After a key part, '.' goes on with the key (params.a.5), never starts a number.
    const inKey = prev === "ident" || prev === "segment" || prev === "quoted" || prev === "string";
    if (c === "." && inKey) {
      push(".", ".", start, ++at);
    } else if (c === '"') {
      at = readString(text, at, (value, end) => push("string", value, start, end));
    } else if (c === "`") {
      const close = text.indexOf("`", at + 1);
      if (close < 0) throw new QueryError(`unterminated \` starting at ${start}`, start, text.length - start);
      if (close === at + 1) throw new QueryError(`empty key \`\` at ${start}`, start, 2);
      push("quoted", text.slice(at + 1, close), start, close + 1);
      at = close + 1;
    } else if (afterDot && SEGMENT.test(c)) {
      while (at < text.length && SEGMENT.test(text[at])) at++;
      push("segment", text.slice(start, at), start, at);
    } else if (WORD_START.test(c)) {
      while (at < text.length && WORD.test(text[at])) at++;
      push("ident", text.slice(start, at), start, at);
    } else if (/[-.\d]/.test(c) && NUMBER.test(text.slice(at))) {
      const literal = NUMBER.exec(text.slice(at))![0];
      at += literal.length;
      // `2abc` or `1.2.3`: one bad token, not a number followed by garbage.
      while (at < text.length && /[A-Za-z0-9_.]/.test(text[at])) at++;
      const raw = text.slice(start, at);
      if (raw !== literal) throw new QueryError(`invalid number '${raw}' at ${start}`, start, raw.length);
      push("number", raw, start, at, Number(raw));
    } else if (c === ".") {
      push(".", ".", start, ++at);
    } else if (c === "(" || c === ")") {
      push(c, c, start, ++at);
    } else if (c === "=" || c === "~") {
      // `==` reads as `=`: people type it from habit.
      at += text[at + 1] === "=" && c === "=" ? 2 : 1;
      push("op", c, start, at);
    } else if (c === "<" || c === ">") {
      at += text[at + 1] === "=" ? 2 : 1;
      push("op", text.slice(start, at), start, at);
    } else if (c === "!") {
      if (text[at + 1] !== "=") throw new QueryError(`expected '!=' at ${start}`, start, 1);
      at += 2;
      push("op", "!=", start, at);
    } else {
      throw new QueryError(`unexpected character '${c}' at ${start}`, start, 1);
    }
  }
  push("end", "", text.length, text.length);
  return tokens;
}

/** Reads a double-quoted string starting at `at`; returns the offset after its closing quote. */
function readString(text: string, at: number, done: (value: string, end: number) => void): number {
  const start = at;
  let value = "";
  at++;
  while (at < text.length) {
    const c = text[at];
    if (c === '"') {
      done(value, at + 1);
      return at + 1;
    }
    if (c !== "\\") {
      value += c;
      at++;
      continue;
    }
    const e = text[at + 1];
    if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6))) {
      value += String.fromCharCode(parseInt(text.slice(at + 2, at + 6), 16));
      at += 6;
    } else if (e !== undefined && e in ESCAPES) {
      value += ESCAPES[e];
      at += 2;
    } else {
      if (e === undefined) break; // a trailing backslash: the string is unterminated
      throw new QueryError(`unknown escape '\\${e}' in string at ${at}`, at, 2);
    }
  }
  throw new QueryError(`unterminated string starting at ${start}`, start, text.length - start);
}
